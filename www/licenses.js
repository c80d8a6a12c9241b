// The owner's licenses: read from the license NFT and the delegation manager with eth_call, through
// the wallet's provider when it is on the license chain, else through the relay's EVM pass-through.
// The contracts and their chain are the relay's profile (`relayInfo().licenses`). Calls are encoded
// and answers decoded by the core in the worker (licenseCallData / licenseDecode): no ABI code on the
// page's thread and none written by hand.
//
// Scriptable: `#licenses` carries data-state (idle, loading, loaded, error), data-account,
// data-source (wallet, relay) and data-selected; each license is a row tr[data-license="<id>"] with
// data-owner and data-operator (empty when the owner runs it). Fires `change` on a new list or
// selection. `selected` is the license reports are made for (the first one unless the owner picks).

const ENUMERABLE = '0x780e9d63';
/** At most this many licenses are listed for one account (a page, not an indexer). */
const MAX_LISTED = 100;
const ZERO = '0x0000000000000000000000000000000000000000';

/** Whole 0G with four decimals, from wei as a decimal string. */
function zg(wei) {
  const v = BigInt(wei);
  const whole = v / 10n ** 18n;
  const frac = (v % 10n ** 18n) / 10n ** 14n;
  return `${whole}.${frac.toString().padStart(4, '0')} 0G`;
}

export class LicensePanel extends EventTarget {
  /**
   * `root`: the #licenses section; `wallet`: the WalletManager; `getClient`: the worker's client;
   * `relayInfo`: a promise of the relay's profile (resolves once the node is connected);
   * `manifest`: a promise of /devnet.json (or null off the devnet): the operators it lists are
   * asked for delegations.
   */
  constructor(root, { wallet, getClient, relayInfo, manifest, daysSinceTge = 0 }) {
    super();
    this.root = root;
    this.wallet = wallet;
    this.getClient = getClient;
    this.manifest = manifest;
    this.relayInfo = relayInfo;
    this.rows = root.querySelector('tbody');
    this.message = root.querySelector('#licenses-message');
    this.daysInput = root.querySelector('#rewards-days');
    this.daysInput.value = String(daysSinceTge);
    this.daysInput.addEventListener('change', () => this.renderRewards());
    this.rows.addEventListener('change', (e) => { if (e.target.name === 'license') this.select(e.target.value); });
    this.licenses = [];
    this.selectedId = null;
    this.generation = 0;
    this.key = null;
    wallet.addEventListener('change', () => this.walletChanged());
    this.show('idle', 'Connect your wallet to see your licenses.');
  }

  get selected() {
    return this.licenses.find((l) => l.tokenId === this.selectedId) ?? null;
  }

  select(tokenId) {
    if (!this.licenses.some((l) => l.tokenId === tokenId)) throw new Error(`no license ${tokenId} listed`);
    this.selectedId = tokenId;
    this.render();
    this.dispatchEvent(new Event('change'));
  }

  /** Reads again when the account or the chain changed (the source may change with the chain). */
  walletChanged() {
    const s = this.wallet.snapshot;
    const key = s.state === 'connected' ? `${s.account}|${s.chainId}|${s.chainOk}` : null;
    if (key === this.key) return;
    this.key = key;
    if (!key) {
      this.generation += 1;
      this.licenses = [];
      this.selectedId = null;
      this.root.dataset.account = '';
      this.show('idle', 'Connect your wallet to see your licenses.');
      this.dispatchEvent(new Event('change'));
      return;
    }
    this.refresh().catch(() => {});
  }

  show(state, message) {
    this.root.dataset.state = state;
    this.message.textContent = message;
    this.render();
  }

  /** Lists the connected account's licenses with their delegation. */
  async refresh() {
    const generation = ++this.generation;
    const account = this.wallet.account;
    this.root.dataset.account = account;
    this.show('loading', `Reading the licenses of ${account}…`);
    try {
      if (!(await Promise.race([this.relayInfo, null]))) this.show('loading', 'Waiting for the relay: press Start.');
      const info = await this.relayInfo;
      if (generation !== this.generation) return;
      this.show('loading', `Reading the licenses of ${account}…`);
      if (!info.licenses) throw new Error(`the relay (${info.network}) has no license contract configured`);
      const listed = (await this.manifest)?.licenses?.tokens ?? [];
      const contracts = { contract: info.licenses.nft, manager: info.licenses.manager, chainId: info.licenses.chainId, tokens: listed };
      const reader = await this.reader(contracts);
      const licenses = await this.read(reader, contracts, account);
      if (generation !== this.generation) return;
      this.licenses = licenses;
      this.root.dataset.source = reader.source;
      if (!licenses.some((l) => l.tokenId === this.selectedId)) this.selectedId = licenses[0]?.tokenId ?? null;
      this.show('loaded', licenses.length ? `${licenses.length} license(s), read through ${reader.source === 'wallet' ? 'your wallet' : 'the relay'}.` : `${account} holds no license.`);
      await this.renderRewards();
    } catch (e) {
      if (generation !== this.generation) return;
      this.licenses = [];
      this.selectedId = null;
      this.show('error', `Could not read the licenses: ${e.message}`);
    }
    this.dispatchEvent(new Event('change'));
  }

  /**
   * eth_call through the wallet when it is on the license chain (and answers eth_call), else
   * through the relay.
   */
  async reader(contracts) {
    const client = await this.getClient();
    const viaRelay = async (to, data) => {
      const body = await client.evmCall('licenses', { jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to, data }, 'latest'] });
      if (body?.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
      return body?.result;
    };
    const viaWallet = (to, data) => this.wallet.provider.request({ method: 'eth_call', params: [{ to, data }, 'latest'] });
    let ethCall = viaRelay;
    let source = 'relay';
    if (this.wallet.state === 'connected' && this.wallet.chainOk && this.wallet.chainId === contracts.chainId) {
      try {
        // One probe decides: a wallet that cannot eth_call (4200) leaves the relay in charge.
        await viaWallet(contracts.contract, await client.licenseCallData('supportsInterface', ['0x01ffc9a7']));
        ethCall = viaWallet;
        source = 'wallet';
      } catch { /* the relay it is */ }
    }
    const call = async (to, method, args) => {
      const raw = await ethCall(to, await client.licenseCallData(method, args));
      if (typeof raw !== 'string') throw new Error(`eth_call ${method} answered ${JSON.stringify(raw)?.slice(0, 80)}`);
      return client.licenseDecode(method, raw);
    };
    return { call, source };
  }

  async read({ call }, contracts, account) {
    const nft = contracts.contract;
    const known = (contracts.tokens ?? []).map((t) => t.tokenId);
    let ids;
    if (await call(nft, 'supportsInterface', [ENUMERABLE]).catch(() => false)) {
      const count = Math.min(Number(await call(nft, 'balanceOf', [account])), MAX_LISTED);
      ids = [];
      for (let i = 0; i < count; i += 1) ids.push(await call(nft, 'tokenOfOwnerByIndex', [account, String(i)]));
    } else {
      // No enumeration: ownerOf over the token ids the network lists.
      ids = [];
      for (const id of known.slice(0, MAX_LISTED)) {
        const owner = await call(nft, 'ownerOf', [id]).catch(() => null);
        if (owner?.toLowerCase() === account.toLowerCase()) ids.push(id);
      }
    }
    // Delegation: getDelegatorInfo(account, operator) for each operator the network lists.
    const operators = [...new Set((contracts.tokens ?? []).map((t) => t.operator).filter((o) => o && o !== ZERO))];
    const delegatedTo = new Map();
    for (const operator of operators) {
      for (const id of await call(contracts.manager, 'getDelegatorInfo', [account, operator])) delegatedTo.set(id, operator);
    }
    const commission = new Map((contracts.tokens ?? []).map((t) => [t.tokenId, t.commissionBps ?? 0]));
    return ids.map((tokenId) => ({
      tokenId,
      owner: account,
      operator: delegatedTo.get(tokenId) ?? null,
      commissionBps: delegatedTo.has(tokenId) ? commission.get(tokenId) ?? 0 : 0,
      rewards: null,
    }));
  }

  /**
   * The rewards panel per license (core's schedule), as if the license ran, or was delegated, every
   * day since TGE (the days the owner enters).
   */
  async renderRewards() {
    const days = Math.max(0, Math.min(100000, Math.trunc(Number(this.daysInput.value) || 0)));
    const client = await this.getClient();
    for (const l of this.licenses) {
      const delegated = l.operator != null;
      try {
        l.rewards = await client.rewardsPanel({ daysSinceTge: days, daysSelfRun: delegated ? 0 : Math.min(days, 1095), daysDelegated: delegated ? Math.min(days, 1095) : 0, commissionBps: l.commissionBps });
      } catch (e) {
        l.rewards = { error: e.message };
      }
    }
    this.render();
  }

  render() {
    this.root.dataset.selected = this.selectedId ?? '';
    const seen = new Set();
    for (const l of this.licenses) {
      seen.add(l.tokenId);
      let row = this.rows.querySelector(`tr[data-license="${CSS.escape(l.tokenId)}"]`);
      if (!row) {
        row = document.createElement('tr');
        row.dataset.license = l.tokenId;
        const pick = document.createElement('td');
        const radio = document.createElement('input');
        radio.type = 'radio';
        radio.name = 'license';
        radio.value = l.tokenId;
        pick.append(radio);
        row.append(pick);
        for (const cls of ['id', 'operator', 'part1', 'part2', 'total']) {
          const td = document.createElement('td');
          td.className = cls;
          row.append(td);
        }
        this.rows.append(row);
      }
      row.dataset.owner = l.owner;
      row.dataset.operator = l.operator ?? '';
      row.querySelector('input').checked = l.tokenId === this.selectedId;
      row.querySelector('.id').textContent = `#${l.tokenId}`;
      row.querySelector('.operator').textContent = l.operator ? `delegated to ${l.operator} (${l.commissionBps / 100}% commission)` : 'run by the owner';
      const r = l.rewards;
      row.querySelector('.part1').textContent = r?.part1 ? `${zg(r.part1.claimableToday)} (penalty ${r.part1.penaltyPctToday}%)` : r?.error ?? '';
      row.querySelector('.part2').textContent = r?.part2 ? `${zg(r.part2.ownerVested)} of ${zg(r.part2.total)}` : '';
      row.querySelector('.total').textContent = r?.ownerTotalToday ? zg(r.ownerTotalToday) : '';
    }
    for (const row of this.rows.querySelectorAll('tr')) if (!seen.has(row.dataset.license)) row.remove();
  }
}
