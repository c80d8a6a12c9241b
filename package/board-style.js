// The verdict board's look, shared by the page and the element's shadow root; themed through
// CSS custom properties (--zg-healthy, --zg-misbehaving, --zg-unreachable, --zg-rule, --zg-mono).

export const BOARD_STYLE = `
.zg-headline { font-size: 1.15em; font-weight: 600; margin: 0.4em 0; padding: 0.5em 0.8em; border-radius: 6px; background: var(--zg-card-bg, #f4f6f8); }
.zg-headline[data-health="healthy"] { color: var(--zg-healthy, #1a7f37); }
.zg-headline[data-health="problems"] { color: var(--zg-misbehaving, #cf222e); }
.zg-summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(15em, 1fr)); gap: 0.6em; margin: 0.6em 0; }
.zg-card { display: flex; flex-direction: column; align-items: flex-start; gap: 0.2em; text-align: left; font: inherit; color: inherit; cursor: pointer;
  background: var(--zg-card-bg, #f4f6f8); border: 1px solid var(--zg-rule, #d8dee4); border-left: 4px solid var(--zg-healthy, #1a7f37); border-radius: 6px; padding: 0.5em 0.7em; }
.zg-card[hidden], .zg-group[hidden] { display: none; }
.zg-card[data-worst="misbehaving"] { border-left-color: var(--zg-misbehaving, #cf222e); }
.zg-card[data-worst="unverifiable"], .zg-card[data-worst="drifting"], .zg-card[data-worst="unreachable"] { border-left-color: var(--zg-unreachable, #9a6700); }
.zg-card[data-worst="unchecked"], .zg-card[data-worst="pending"], .zg-card[data-worst="none"] { border-left-color: var(--zg-muted, #8c959f); }
.zg-last, .zg-next { color: var(--zg-muted-fg, #57606a); font-size: 0.9em; }
.zg-problem { color: var(--zg-unreachable, #9a6700); font-size: 0.9em; overflow-wrap: anywhere; }
.zg-problem:empty { display: none; }
.zg-counts { display: flex; flex-wrap: wrap; gap: 0.3em; }
.zg-count { border-radius: 999px; padding: 0 0.55em; font-size: 0.85em; background: var(--zg-rule, #d8dee4); white-space: nowrap; }
.zg-count[data-verdict="healthy"] { background: color-mix(in srgb, var(--zg-healthy, #1a7f37) 18%, transparent); }
.zg-count[data-verdict="misbehaving"] { background: var(--zg-misbehaving, #cf222e); color: #fff; }
.zg-count[data-verdict="unreachable"], .zg-count[data-verdict="unverifiable"], .zg-count[data-verdict="drifting"] { background: color-mix(in srgb, var(--zg-unreachable, #9a6700) 25%, transparent); }
.zg-group { border: 1px solid var(--zg-rule, #d8dee4); border-radius: 6px; margin: 0.6em 0; padding: 0 0.6em; }
.zg-group > summary { display: flex; flex-wrap: wrap; gap: 0.6em; align-items: center; padding: 0.5em 0; cursor: pointer; }
.zg-group > summary::before { content: "▸"; }
.zg-group[open] > summary::before { content: "▾"; }
.zg-group > summary::-webkit-details-marker { display: none; }
.zg-table { border-collapse: collapse; width: 100%; table-layout: fixed; margin-bottom: 0.6em; }
.zg-table th, .zg-table td { text-align: left; padding: 0.3em 0.5em; border-bottom: 1px solid var(--zg-rule, #d8dee4); vertical-align: top; }
.zg-table th:nth-child(1) { width: 11em; } .zg-table th:nth-child(2) { width: 7.5em; } .zg-table th:nth-child(3) { width: 3.5em; } .zg-table th:nth-child(5) { width: 6.5em; }
.zg-table td.node code { font-family: var(--zg-mono, ui-monospace, monospace); font-size: 0.9em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; display: block; }
.zg-table td.evidence { overflow-wrap: break-word; }
tr[data-verdict="healthy"] td.verdict { color: var(--zg-healthy, #1a7f37); }
tr[data-verdict="misbehaving"] td.verdict { color: var(--zg-misbehaving, #cf222e); font-weight: 600; }
tr[data-verdict="unreachable"] td.verdict, tr[data-verdict="drifting"] td.verdict, tr[data-verdict="unverifiable"] td.verdict { color: var(--zg-unreachable, #9a6700); }
.zg-raw > summary { cursor: pointer; font-size: 0.85em; color: var(--zg-link, #0969da); }
.zg-table td.raw { position: relative; }
.zg-table .zg-raw[open] > .zg-raw-body { position: absolute; right: 0; z-index: 2; width: min(46em, 80vw); padding: 0.4em;
  background: var(--zg-panel-bg, #fff); border: 1px solid var(--zg-rule, #d8dee4); border-radius: 6px; box-shadow: 0 4px 14px rgb(0 0 0 / 0.15); }
.zg-raw pre { max-height: 20em; overflow: auto; font-size: 11px; background: var(--zg-card-bg, #f4f6f8); padding: 0.5em; white-space: pre-wrap; overflow-wrap: anywhere; }
.zg-raw-actions { display: flex; gap: 0.4em; margin: 0.3em 0; }
/* Validators: a tile each, problems first; the chosen tile in words below the grid. */
.zg-grid thead { display: none; }
.zg-grid tbody { display: grid; grid-template-columns: repeat(auto-fill, minmax(3.1em, 1fr)); gap: 3px; padding: 0.3em 0; }
.zg-grid tr { display: block; cursor: pointer; border-radius: 3px; background: var(--zg-healthy, #1a7f37); color: #fff; }
.zg-grid tr[data-verdict="misbehaving"] { background: var(--zg-misbehaving, #cf222e); }
.zg-grid tr[data-verdict="unreachable"] { background: var(--zg-unreachable, #9a6700); }
.zg-grid tr[data-verdict="pending"] { background: var(--zg-muted, #8c959f); }
.zg-grid tr[aria-selected="true"] { outline: 2px solid var(--zg-fg, #1b1f24); outline-offset: 1px; }
.zg-grid td { display: none; }
.zg-grid td.node { display: block; border: 0; padding: 0.25em 0; text-align: center; }
.zg-grid td.node code { font-size: 0.8em; color: inherit; }
.zg-tile-detail { border-top: 1px solid var(--zg-rule, #d8dee4); padding: 0.3em 0 0.6em; overflow-wrap: anywhere; }
.zg-tile-detail p { margin: 0.2em 0; }
.zg-tile-detail[data-verdict="misbehaving"] .zg-verdict-name { color: var(--zg-misbehaving, #cf222e); font-weight: 600; }
.zg-tile-detail[data-verdict="unreachable"] .zg-verdict-name { color: var(--zg-unreachable, #9a6700); }
.zg-tile-detail[data-verdict="healthy"] .zg-verdict-name { color: var(--zg-healthy, #1a7f37); }
`;
