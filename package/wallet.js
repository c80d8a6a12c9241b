// The owner's wallet, as the tab sees it: every installed wallet found by EIP-6963, the one the
// owner chose, and EIP-1193 requests to it. Keys stay in the wallet: the page only asks it to
// sign (eth_signTypedData_v4), on the worker's behalf too (see node-client.js).
//
// Everything a wallet says is untrusted: announcements, accounts and chain ids are checked before
// they are shown or used. Fires `change` whenever `snapshot` changes.

/** 0G mainnet, the chain reports belong to unless the page is served by the devnet. */
export const MAINNET = Object.freeze({
  chainId: 16661,
  chainName: '0G Mainnet',
  rpcUrls: ['https://evmrpc.0g.ai'],
  nativeCurrency: { name: '0G', symbol: '0G', decimals: 18 },
});

/** EIP-1193 and EIP-1474 codes this page explains to the owner. */
export const CODES = Object.freeze({ refused: 4001, unauthorised: 4100, unsupported: 4200, disconnected: 4900, chainDisconnected: 4901, unknownChain: 4902, pending: -32002 });

/**
 * The chain the wallet must be on: the devnet's own (from its manifest, with its EVM RPC) when the
 * page is served by the devnet, else 0G mainnet.
 */
export async function expectedChain(origin = location.origin) {
  try {
    const response = await fetch(new URL('/devnet.json', origin), { cache: 'no-store' });
    if (response.ok) {
      const { chainId, evm } = await response.json();
      if (Number.isSafeInteger(chainId) && chainId > 0 && /^https?:\/\//.test(evm)) {
        return Object.freeze({
          chainId,
          chainName: 'zg-align devnet',
          rpcUrls: [evm],
          nativeCurrency: { name: '0G', symbol: '0G', decimals: 18 },
          local: true,
        });
      }
    }
  } catch {
    // Not served by the devnet: the mainnet it is.
  }
  return MAINNET;
}

/** One sentence for the owner about a failed wallet request. */
export function describeWalletError(error, doing = 'the request') {
  const code = walletCode(error);
  switch (code) {
    case CODES.refused: return `You declined ${doing} in your wallet.`;
    case CODES.pending: return 'Your wallet already has a request waiting: open the wallet and answer it first.';
    case CODES.unauthorised: return `The wallet has not authorised this page or account for ${doing}: connect again.`;
    case CODES.unsupported: return `The wallet does not support ${doing}.`;
    case CODES.disconnected: return 'The wallet is disconnected from every chain.';
    case CODES.chainDisconnected: return 'The wallet is not connected to the chain asked for.';
    case CODES.unknownChain: return 'The wallet does not know this chain.';
    default: {
      const message = typeof error?.message === 'string' && error.message ? error.message.slice(0, 300) : String(error).slice(0, 300);
      return `The wallet failed ${doing}: ${message}${code != null ? ` (code ${code})` : ''}`;
    }
  }
}

/** The EIP-1193 code of an error, also where a wallet nests it (MetaMask mobile: data.originalError). */
export function walletCode(error) {
  for (const c of [error?.code, error?.data?.originalError?.code, error?.cause?.code]) {
    if (Number.isInteger(c)) return c;
  }
  return null;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX_ID = /^0x[0-9a-fA-F]{1,13}$/;
const hex = (n) => `0x${n.toString(16)}`;

/** A wallet error with its code kept, and the owner's sentence as the message. */
function failure(error, doing) {
  return Object.assign(new Error(describeWalletError(error, doing)), { code: walletCode(error), cause: error });
}

export class WalletManager extends EventTarget {
  constructor({ storage = globalThis.localStorage } = {}) {
    super();
    /** uuid -> {info, provider}, as announced. */
    this.wallets = new Map();
    this.storage = storage;
    this.state = 'none';
    this.uuid = null;
    this.account = null;
    this.chainId = null;
    this.expected = null;
    /** The last problem, for the owner: {code, message}. */
    this.error = null;
    /** Signature requests waiting for the owner in the wallet. */
    this.signing = 0;
    this.attempt = 0;
    this.detach = null;
  }

  /** Starts listening for wallets and asks every installed one to announce itself. */
  discover(target = window) {
    target.addEventListener('eip6963:announceProvider', (event) => this.announced(event.detail));
    target.dispatchEvent(new Event('eip6963:requestProvider'));
  }

  announced(detail) {
    const info = detail?.info;
    const provider = detail?.provider;
    const valid = info && typeof info.uuid === 'string' && info.uuid && typeof info.name === 'string'
      && typeof info.rdns === 'string' && typeof provider?.request === 'function';
    if (!valid || this.wallets.has(info.uuid)) return;
    // Only data: image URIs are shown as icons (EIP-6963); anything else is dropped.
    const icon = typeof info.icon === 'string' && /^data:image\//.test(info.icon) ? info.icon : null;
    this.wallets.set(info.uuid, { info: Object.freeze({ uuid: info.uuid, name: info.name.slice(0, 80), rdns: info.rdns.slice(0, 120), icon }), provider });
    // Preselected: the first wallet found, or the one last connected here when it shows up.
    const idle = this.state === 'none' || this.state === 'available';
    if (!this.uuid || (idle && info.rdns === this.remembered())) this.uuid = info.uuid;
    if (this.state === 'none') this.state = 'available';
    this.changed();
  }

  remembered() {
    try { return this.storage?.getItem('zg-align.wallet') ?? null; } catch { return null; }
  }

  /** Sets the chain the wallet should be on (see `expectedChain`). */
  expect(chain) {
    this.expected = chain;
    this.changed();
  }

  /** The owner picks a wallet; a connection to another one ends. */
  choose(uuid) {
    if (!this.wallets.has(uuid)) throw new Error(`no wallet ${uuid}`);
    if (uuid === this.uuid) return;
    this.forget('available');
    this.uuid = uuid;
    this.changed();
  }

  get provider() {
    return this.wallets.get(this.uuid)?.provider ?? null;
  }

  get chainOk() {
    return this.expected != null && this.chainId === this.expected.chainId;
  }

  get snapshot() {
    const chosen = this.wallets.get(this.uuid)?.info ?? null;
    return {
      state: this.state,
      uuid: this.uuid,
      rdns: chosen?.rdns ?? null,
      name: chosen?.name ?? null,
      account: this.account,
      chainId: this.chainId,
      expectedChainId: this.expected?.chainId ?? null,
      expectedChainName: this.expected?.chainName ?? null,
      chainOk: this.chainOk,
      signing: this.signing,
      error: this.error,
      wallets: [...this.wallets.values()].map((w) => w.info),
    };
  }

  /** Asks the chosen wallet (or `uuid`) for an account: eth_requestAccounts, then eth_chainId. */
  async connect(uuid = this.uuid) {
    if (uuid !== this.uuid) this.choose(uuid);
    const wallet = this.wallets.get(this.uuid);
    if (!wallet) throw new Error('no wallet to connect: install one that supports EIP-6963');
    const attempt = ++this.attempt;
    this.forget('connecting');
    this.listen(wallet.provider);
    this.changed();
    try {
      const accounts = await wallet.provider.request({ method: 'eth_requestAccounts' });
      const chainId = await wallet.provider.request({ method: 'eth_chainId' });
      if (attempt !== this.attempt) return this.snapshot; // The owner moved on meanwhile.
      this.account = this.checkAccounts(accounts);
      this.chainId = this.checkChainId(chainId);
      if (!this.account) throw new Error('the wallet shared no account');
      this.state = 'connected';
      try { this.storage?.setItem('zg-align.wallet', wallet.info.rdns); } catch { /* private mode */ }
    } catch (e) {
      if (attempt !== this.attempt) return this.snapshot;
      const refused = walletCode(e) === CODES.refused;
      this.forget(refused ? 'refused' : 'error');
      this.error = { code: walletCode(e), message: describeWalletError(e, 'the connection') };
    }
    this.changed();
    return this.snapshot;
  }

  /** Moves the wallet to the expected chain, adding it first when the wallet does not know it. */
  async switchChain() {
    const provider = this.requireConnected('switching chains');
    const chain = this.expected ?? MAINNET;
    this.error = null;
    this.changed();
    try {
      try {
        await provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: hex(chain.chainId) }] });
      } catch (e) {
        if (walletCode(e) !== CODES.unknownChain) throw e;
        const { chainName, rpcUrls, nativeCurrency, blockExplorerUrls } = chain;
        await provider.request({
          method: 'wallet_addEthereumChain',
          params: [{ chainId: hex(chain.chainId), chainName, rpcUrls, nativeCurrency, ...(blockExplorerUrls ? { blockExplorerUrls } : {}) }],
        });
      }
      this.chainId = this.checkChainId(await provider.request({ method: 'eth_chainId' }));
      if (!this.chainOk) this.error = { code: null, message: `The wallet stayed on chain ${this.chainId}; switch to ${chain.chainName} (${chain.chainId}) in the wallet.` };
    } catch (e) {
      this.error = { code: walletCode(e), message: describeWalletError(e, `the switch to ${chain.chainName}`) };
    }
    this.changed();
    return this.snapshot;
  }

  /**
   * Asks the wallet to sign EIP-712 typed data (JSON text) with `account`: the signer the worker
   * uses. Throws an Error with the wallet's `code` (4001 when the owner declines), or with
   * `reason: "noWallet"` when no wallet is connected.
   */
  async signTypedData(account, typedDataJson) {
    const provider = this.requireConnected('signing');
    if (typeof account !== 'string' || account.toLowerCase() !== this.account.toLowerCase()) {
      throw Object.assign(new Error(`The wallet's account is ${this.account}, not ${account}: choose that account in the wallet.`), { code: CODES.unauthorised });
    }
    this.signing += 1;
    this.error = null;
    this.changed();
    try {
      const signature = await provider.request({ method: 'eth_signTypedData_v4', params: [this.account, typedDataJson] });
      if (typeof signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(signature)) throw new Error('the wallet returned something that is not a signature');
      return signature;
    } catch (e) {
      const error = failure(e, 'the signature');
      this.error = { code: error.code, message: error.message };
      throw error;
    } finally {
      this.signing -= 1;
      this.changed();
    }
  }

  /** Stops using the wallet here (EIP-1193 has no call for it; the wallet keeps its grant). */
  disconnect() {
    this.attempt += 1;
    this.forget('available');
    this.changed();
  }

  requireConnected(doing) {
    if (this.state !== 'connected' || !this.provider) {
      throw Object.assign(new Error(`No wallet is connected: connect one before ${doing}.`), { reason: 'noWallet' });
    }
    return this.provider;
  }

  checkAccounts(accounts) {
    if (!Array.isArray(accounts)) throw new Error('the wallet answered eth_requestAccounts with something that is not a list');
    if (accounts.length === 0) return null;
    if (typeof accounts[0] !== 'string' || !ADDRESS.test(accounts[0])) throw new Error(`the wallet gave a malformed account ${JSON.stringify(accounts[0])?.slice(0, 60)}`);
    return accounts[0];
  }

  checkChainId(chainId) {
    if (typeof chainId !== 'string' || !HEX_ID.test(chainId)) throw new Error(`the wallet gave a malformed chain id ${JSON.stringify(chainId)?.slice(0, 40)}`);
    return Number.parseInt(chainId, 16);
  }

  /** Follows the chosen wallet's EIP-1193 events until `forget`. */
  listen(provider) {
    const onAccounts = (accounts) => {
      try {
        const account = this.checkAccounts(accounts);
        if (account) {
          this.account = account;
        } else if (this.state === 'connected') {
          this.forget('available');
          this.error = { code: null, message: 'The wallet no longer shares an account with this page: connect again.' };
        }
      } catch (e) {
        this.error = { code: null, message: describeWalletError(e, 'the account change') };
      }
      this.changed();
    };
    const onChain = (chainId) => {
      try { this.chainId = this.checkChainId(chainId); } catch (e) { this.error = { code: null, message: describeWalletError(e, 'the chain change') }; }
      this.changed();
    };
    const onDisconnect = (error) => {
      this.forget('available');
      this.error = { code: walletCode(error), message: `The wallet disconnected${error?.message ? ` (${String(error.message).slice(0, 200)})` : ''}: connect again when it is back.` };
      this.changed();
    };
    provider.on?.('accountsChanged', onAccounts);
    provider.on?.('chainChanged', onChain);
    provider.on?.('disconnect', onDisconnect);
    this.detach = () => {
      provider.removeListener?.('accountsChanged', onAccounts);
      provider.removeListener?.('chainChanged', onChain);
      provider.removeListener?.('disconnect', onDisconnect);
    };
  }

  forget(state) {
    this.detach?.();
    this.detach = null;
    this.account = null;
    this.chainId = null;
    this.error = null;
    this.state = this.wallets.size === 0 ? 'none' : state;
  }

  changed() {
    this.dispatchEvent(new Event('change'));
  }
}
