// Two relays in a page test: waiting for a second path, and the verdict events as they came (with
// what each relay showed: `relayFault`, `confirmed`, `paths`; crate/src/paths/).

/** Waits until relay `index` (a second path) shows `state` in the page's relay list. */
export function waitForRelay(page, index, state, timeout = 30000) {
  return page.waitForSelector(`#relays li[data-index="${index}"][data-state="${state}"]`, { timeout });
}

/** Starts keeping every verdict event of the page's node in `window.seenVerdicts`. */
export function recordVerdicts(page) {
  return page.evaluate(() => {
    window.seenVerdicts = [];
    return window.zgAlign.client.subscribe((e) => {
      if (e.type !== 'verdict') return;
      const v = e.verdict;
      window.seenVerdicts.push({
        round: e.round, id: `${e.kind}:${e.node}`, verdict: v.verdict, rows: v.rows, proven: v.proven, confirmed: Boolean(v.confirmed),
        relayFault: v.relayFault ? { kind: v.relayFault.kind, index: v.relayFault.relay.index } : null,
        paths: (v.paths ?? []).map((p) => ({ index: p.relay.index, peer: p.relay.peer, address: p.relay.address, verdict: p.verdict, answerKeccak: p.answerKeccak ?? null })),
      });
    });
  });
}

/** The verdicts recorded so far. */
export function recorded(page) {
  return page.evaluate(() => window.seenVerdicts);
}

/** Waits until round `after` + `rounds` has finished; returns the last finished round. */
export async function roundsFinished(page, after, rounds, timeout) {
  await page.waitForFunction(({ n }) => document.querySelector('#round').dataset.state === 'finished' && Number(document.querySelector('#round').dataset.round) >= n,
    { n: after + rounds }, { timeout });
  return page.$eval('#round', (e) => Number(e.dataset.round));
}

/** The page's current round number (0 before the first). */
export function currentRound(page) {
  return page.$eval('#round', (e) => Number(e.dataset.round) || 0);
}
