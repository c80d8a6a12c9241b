// One node's verdicts over time as an SVG chart, drawn here (no chart library): a lane per verdict
// it had, most serious on top, a bar for each stretch of time it held a verdict, a step line
// through the changes and a dot per record (hover: round, time, verdict).

import { VERDICT_ORDER } from './verdicts.js';

const SVG = 'http://www.w3.org/2000/svg';
export const VERDICT_COLORS = Object.freeze({
  healthy: 'var(--zg-healthy, #1a7f37)', misbehaving: 'var(--zg-misbehaving, #cf222e)', unverifiable: 'var(--zg-unreachable, #9a6700)',
  drifting: 'var(--zg-unreachable, #9a6700)', unreachable: 'var(--zg-unreachable, #bc4c00)', unchecked: 'var(--zg-muted, #8c959f)', pending: 'var(--zg-muted, #8c959f)',
});

function node(doc, tag, attrs = {}, text) {
  const e = doc.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text != null) e.textContent = text;
  return e;
}

/** The stretches `[{verdict, from, to, round}]` of `records` (oldest first), the last up to `seenAt`. */
export function stretches(records, seenAt) {
  return records.map((r, i) => ({ verdict: r.verdict, round: r.round, from: r.at, to: i + 1 < records.length ? records[i + 1].at : Math.max(seenAt ?? r.at, r.at) }));
}

/** The share of time of each verdict, `{healthy: 0.93, ...}`. */
export function shares(records, seenAt) {
  const parts = stretches(records, seenAt);
  const total = parts.reduce((a, s) => a + (s.to - s.from), 0);
  const out = {};
  for (const s of parts) out[s.verdict] = (out[s.verdict] ?? 0) + (total ? (s.to - s.from) / total : 1 / parts.length);
  return out;
}

function timeLabel(t, span) {
  const d = new Date(t);
  const two = (n) => String(n).padStart(2, '0');
  const clock = `${two(d.getHours())}:${two(d.getMinutes())}${span < 3600000 ? `:${two(d.getSeconds())}` : ''}`;
  return span < 86400000 ? clock : `${two(d.getMonth() + 1)}-${two(d.getDate())} ${clock}`;
}

/** The chart of `records` ({at, round, verdict}, oldest first) for `title`; `seenAt` ends the last stretch. */
export function verdictChart(doc, { records, seenAt, title, width = 720 }) {
  const lanes = VERDICT_ORDER.filter((v) => v === 'healthy' || records.some((r) => r.verdict === v));
  const left = 96;
  const right = 12;
  const top = 22;
  const lane = 24;
  const height = top + lanes.length * lane + 30;
  const svg = node(doc, 'svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'zg-chart', 'font-size': 11, 'font-family': 'system-ui, sans-serif' });
  svg.append(node(doc, 'title', {}, title));
  svg.append(node(doc, 'text', { x: 0, y: 13, 'font-weight': 600, fill: 'currentColor' }, title));
  const parts = stretches(records, seenAt);
  const t0 = records[0]?.at ?? Date.now();
  const t1 = Math.max(t0 + 1000, ...parts.map((s) => s.to));
  const x = (t) => left + ((t - t0) / (t1 - t0)) * (width - left - right);
  const y = (verdict) => top + lanes.indexOf(verdict) * lane + lane / 2;
  lanes.forEach((v) => {
    svg.append(node(doc, 'line', { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: 'currentColor', 'stroke-opacity': 0.15 }));
    svg.append(node(doc, 'text', { x: left - 8, y: y(v) + 4, 'text-anchor': 'end', fill: 'currentColor' }, v));
  });
  let path = '';
  for (const s of parts) {
    const [a, b] = [x(s.from), Math.max(x(s.to), x(s.from) + 2)];
    const bar = node(doc, 'rect', { x: a, y: y(s.verdict) - 6, width: b - a, height: 12, rx: 2, style: `fill: ${VERDICT_COLORS[s.verdict] ?? 'currentColor'}`, 'data-verdict': s.verdict });
    bar.append(node(doc, 'title', {}, `${s.verdict} from round ${s.round} (${new Date(s.from).toLocaleString()}) to ${new Date(s.to).toLocaleString()}`));
    svg.append(bar);
    path += path ? `V${y(s.verdict)}H${b}` : `M${a},${y(s.verdict)}H${b}`;
  }
  if (path) svg.append(node(doc, 'path', { d: path, fill: 'none', stroke: 'currentColor', 'stroke-width': 1, 'stroke-opacity': 0.6 }));
  for (const r of records) {
    const dot = node(doc, 'circle', { cx: x(r.at), cy: y(r.verdict), r: 2.5, fill: 'currentColor', 'data-round': r.round });
    dot.append(node(doc, 'title', {}, `round ${r.round}, ${new Date(r.at).toLocaleString()}: ${r.verdict}`));
    svg.append(dot);
  }
  const axis = top + lanes.length * lane + 4;
  svg.append(node(doc, 'line', { x1: left, x2: width - right, y1: axis, y2: axis, stroke: 'currentColor', 'stroke-opacity': 0.4 }));
  for (let i = 0; i <= 4; i += 1) {
    const t = t0 + ((t1 - t0) * i) / 4;
    svg.append(node(doc, 'line', { x1: x(t), x2: x(t), y1: axis, y2: axis + 4, stroke: 'currentColor', 'stroke-opacity': 0.4 }));
    svg.append(node(doc, 'text', { x: x(t), y: axis + 16, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle', fill: 'currentColor' }, timeLabel(t, t1 - t0)));
  }
  return svg;
}
