// Rounds become signed reports: with the owner's consent ("sign each report"; the default is to sign
// none), when a round finishes the worker builds the report for the selected license, the wallet
// signs it, the worker checks the signer is the owner; the tab stores the signed report
// (IndexedDB) and only then asks the worker to publish it; the network's answer decides: accepted
// (or already stored: a replay) moves it to the store's archive, a rejection is kept and shown, no answer
// leaves it pending until the node is connected again (or the page is loaded again).
//
// Scriptable: `#consent[data-consent="none"|"each"]`; `#reports` rows tr[data-report-round="N"]
// with data-state (signing, refused, failed, pending, published, accepted, rejected), data-reason
// (the wallet's, the worker's or the network's reason) and data-license.

export class ReportFlow {
  constructor({ table, consentRoot, message, wallet, licenses, getClient, store, relayInfo, consent = 'none' }) {
    this.rows = table.querySelector('tbody');
    this.consentRoot = consentRoot;
    this.messageEl = message;
    this.wallet = wallet;
    this.licenses = licenses;
    this.getClient = getClient;
    this.store = store;
    /** A promise of the relay's profile: the license contract is the reports' verifying contract. */
    this.relayInfo = relayInfo;
    /** Rounds asked for a signature in this tab, whatever came of it: never asked twice. */
    this.asked = new Set();
    /** Rounds whose publication waits for an answer now. */
    this.inFlight = new Set();
    this.busy = false;
    this.next = null;
    this.connected = false;
    consentRoot.addEventListener('change', (e) => { if (e.target.name === 'consent') this.setConsent(e.target.value); });
    this.setConsent(consent);
  }

  setConsent(value) {
    this.consent = value === 'each' ? 'each' : 'none';
    this.consentRoot.dataset.consent = this.consent;
    for (const radio of this.consentRoot.querySelectorAll('input[name="consent"]')) radio.checked = radio.value === this.consent;
    this.say(this.consent === 'each'
      ? 'Each finished round is sent to your wallet to sign; nothing is published unsigned.'
      : 'Reports are not signed in this session.');
  }

  say(text) {
    this.messageEl.textContent = text;
  }

  /** Shows what the store holds from earlier pages: pending reports wait for the node. */
  async load() {
    for (const record of await this.store.all()) {
      this.asked.add(record.round);
      this.show(record.round, record.state, { license: record.licenseTokenId, reason: record.reason, message: record.message });
    }
  }

  /** The node's events: rounds to report, connections to publish over. */
  onEvent(event) {
    if (event.type === 'round') {
      if (event.state === 'started') this.store.noteRound(event.round).catch(() => {});
      if (event.state === 'finished') this.roundFinished(event.round);
    } else if (event.type === 'connection') {
      this.connected = event.state === 'connected';
      if (this.connected) this.flush().catch((e) => this.say(`Stored reports not sent: ${e.message}`));
    }
  }

  roundFinished(round) {
    if (this.consent !== 'each') return;
    if (this.busy) {
      this.next = round; // The owner is still answering: only the latest round waits.
      return;
    }
    this.report(round).catch((e) => this.say(`Round ${round} not reported: ${e.message}`)).finally(() => {
      this.busy = false;
      const next = this.next;
      this.next = null;
      if (next != null) this.roundFinished(next);
    });
    this.busy = true;
  }

  /** Why a round cannot be reported now, or null. */
  blocked() {
    const w = this.wallet;
    if (w.state !== 'connected') return 'Round not reported: connect your wallet.';
    if (!w.chainOk) return `Round not reported: your wallet is on chain ${w.chainId}; switch to ${w.expected?.chainName} (${w.expected?.chainId}).`;
    if (!this.licenses.selected) return 'Round not reported: choose a license of this account.';
    return null;
  }

  async report(round) {
    if (this.asked.has(round) || await this.store.get(round)) return;
    const why = this.blocked();
    if (why) return this.say(`${why.replace('Round', `Round ${round}`)}`);
    const license = this.licenses.selected;
    const account = this.wallet.account;
    this.asked.add(round);
    if (license.owner.toLowerCase() !== account.toLowerCase()) {
      // A stale list after an account change: the wallet is not asked to sign for another owner.
      return this.show(round, 'failed', { license: license.tokenId, reason: 'notOwner', message: `license ${license.tokenId} belongs to ${license.owner}, not ${account}` });
    }
    const info = await this.relayInfo;
    this.show(round, 'signing', { license: license.tokenId });
    let signed;
    try {
      const client = await this.getClient();
      signed = await client.reportRound({
        round,
        license: { tokenId: license.tokenId, owner: license.owner, operator: license.operator },
        chainId: this.wallet.expected.chainId,
        verifyingContract: info.licenses.nft,
      });
    } catch (e) {
      return this.show(round, e.reason === 'refused' ? 'refused' : 'failed', { license: license.tokenId, reason: e.reason ?? 'error', message: e.message });
    }
    const record = { round, licenseTokenId: license.tokenId, report: signed.report, digest: signed.digest, state: 'pending' };
    await this.store.put(record);
    this.show(round, 'pending', { license: license.tokenId });
    await this.publish(record);
  }

  /** Publishes every stored report still pending (after a reconnect or a reload). */
  async flush() {
    for (const record of await this.store.all()) {
      if (record.state === 'pending') await this.publish(record);
    }
  }

  async publish(record) {
    const { round } = record;
    if (this.inFlight.has(round) || !this.connected) return;
    this.inFlight.add(round);
    const license = record.licenseTokenId;
    try {
      // Read again: another flush may have had it acknowledged since its list was taken.
      if ((await this.store.get(round))?.state !== 'pending') return;
      this.show(round, 'published', { license });
      const answer = await (await this.getClient()).publishReport(record.report);
      if (answer.accepted) {
        await this.store.archive({ ...record, state: 'accepted', networkDigest: answer.digest });
        this.show(round, 'accepted', { license, message: `digest ${answer.digest}` });
      } else if (answer.reason?.kind === 'replayedRound' && answer.reason.storedDigest?.toLowerCase() === record.digest.toLowerCase()) {
        // The network already holds this very report: ours reached it before the answer was lost.
        await this.store.archive({ ...record, state: 'accepted' });
        this.show(round, 'accepted', { license, reason: 'replayedRound', message: answer.message });
      } else {
        // (A replayed round with another digest: a different report holds that round: rejected.)
        await this.store.put({ ...record, state: 'rejected', reason: answer.reason?.kind ?? 'rejected', message: answer.message });
        this.show(round, 'rejected', { license, reason: answer.reason?.kind ?? 'rejected', message: answer.message });
      }
    } catch (e) {
      // No answer (not connected, timed out): kept, and sent again once the node is connected.
      this.show(round, 'pending', { license, reason: 'noAnswer', message: e.message });
    } finally {
      this.inFlight.delete(round);
    }
  }

  show(round, state, { license = '', reason = '', message = '' } = {}) {
    let row = this.rows.querySelector(`tr[data-report-round="${round}"]`);
    if (!row) {
      row = document.createElement('tr');
      row.dataset.reportRound = String(round);
      for (const cls of ['round', 'license', 'state', 'detail']) {
        const td = document.createElement('td');
        td.className = cls;
        row.append(td);
      }
      const after = [...this.rows.children].find((r) => Number(r.dataset.reportRound) < round);
      this.rows.insertBefore(row, after ?? null);
    }
    row.dataset.state = state;
    row.dataset.reason = reason ?? '';
    row.dataset.license = license ?? '';
    row.querySelector('.round').textContent = String(round);
    row.querySelector('.license').textContent = license ? `#${license}` : '';
    row.querySelector('.state').textContent = state;
    row.querySelector('.detail').textContent = [reason, message].filter(Boolean).join(': ');
  }
}
