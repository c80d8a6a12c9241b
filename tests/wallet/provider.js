// The test wallet: an EIP-1193 provider announced by EIP-6963, run by the extension as a content
// script in the page's own world before any page script. It holds anvil's public test keys and
// signs with ethers, bundled in by tests/lib/wallet.mjs (esbuild). WALLET (name, rdns, key order)
// is defined at bundle time so that two copies can be installed side by side.
//
// Like a real wallet it approves nothing silently that it would not approve: the test decides
// through `window.zgTestWallets[rdns]` (and `window.zgTestWallet`, the primary one)
// whether the "owner" approves or refuses, how long they take, and what they do in the wallet
// (switch account or chain, disconnect, revoke the site).

import { Wallet, getAddress } from 'ethers';

/* global WALLET */
const { name, rdns, keys, primary } = WALLET;
const signers = keys.map((k) => new Wallet(k));
/** Chains the wallet knows: EIP-3085 parameters by decimal id. 31337 (anvil, the devnet) is not. */
const chains = new Map([
  [1, { chainName: 'Ethereum' }],
  [16661, { chainName: '0G Mainnet' }],
  [16602, { chainName: '0G Galileo' }],
]);

const state = {
  chainId: 1,
  current: 0,
  /** Whether the site may see the accounts (eth_requestAccounts approved). */
  authorised: false,
  /** Whether the provider is connected to its chain (EIP-1193 connect/disconnect). */
  connected: true,
  refuse: false,
  holdMs: 0,
  /** A request that waits for the owner; a second one gets -32002 like MetaMask. */
  pending: null,
  requests: [],
  signed: [],
  added: [],
};

class ProviderRpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}

const listeners = new Map();
function emit(event, ...args) {
  for (const listener of [...(listeners.get(event) ?? [])]) {
    try { listener(...args); } catch (e) { setTimeout(() => { throw e; }); }
  }
}

const hex = (n) => `0x${n.toString(16)}`;
const address = () => signers[state.current].address;
const accounts = () => (state.authorised ? [address()] : []);

/** The "owner" looks at the request for holdMs, then approves it or refuses (4001). */
async function owner(what, approve) {
  if (state.pending) throw new ProviderRpcError(-32002, `Request of type '${state.pending}' already pending. Please wait.`);
  state.pending = what;
  try {
    if (state.holdMs > 0) await new Promise((r) => setTimeout(r, state.holdMs));
    if (state.refuse) throw new ProviderRpcError(4001, 'User rejected the request.');
    return await approve();
  } finally {
    state.pending = null;
  }
}

function param(params, i) {
  if (!Array.isArray(params) || params.length <= i) throw new ProviderRpcError(-32602, 'Invalid parameters: missing an argument');
  return params[i];
}

function chainIdParam(value) {
  if (typeof value !== 'string' || !/^0x[1-9a-f][0-9a-f]*$/i.test(value)) {
    throw new ProviderRpcError(-32602, `Invalid parameters: chainId must be a 0x-prefixed hex string, got ${JSON.stringify(value)}`);
  }
  return Number.parseInt(value, 16);
}

function setChain(id) {
  if (id === state.chainId) return;
  state.chainId = id;
  emit('chainChanged', hex(id));
}

function requireAuthorised(account) {
  if (!state.authorised) throw new ProviderRpcError(4100, 'The requested account and/or method has not been authorized by the user.');
  let wanted;
  try { wanted = getAddress(String(account)); } catch { throw new ProviderRpcError(-32602, `Invalid parameters: bad address ${JSON.stringify(account)}`); }
  if (wanted !== address()) throw new ProviderRpcError(4100, `The requested account ${wanted} has not been authorized by the user.`);
}

async function signTypedData(params) {
  requireAuthorised(param(params, 0));
  const raw = param(params, 1);
  let typed;
  try { typed = typeof raw === 'string' ? JSON.parse(raw) : raw; } catch { throw new ProviderRpcError(-32602, 'Invalid parameters: typed data is not JSON'); }
  const { domain, types, primaryType, message } = typed ?? {};
  if (!domain || !types || !primaryType || !message) throw new ProviderRpcError(-32602, 'Invalid parameters: typed data needs domain, types, primaryType and message');
  if (domain.chainId != null && Number(domain.chainId) !== state.chainId) {
    throw new ProviderRpcError(-32602, `Provided chainId "${Number(domain.chainId)}" must match the active chainId "${state.chainId}"`);
  }
  const { EIP712Domain: _, ...rest } = types;
  return owner('eth_signTypedData_v4', async () => {
    const signature = await signers[state.current].signTypedData(domain, rest, message);
    state.signed.push({ account: address(), typedData: typed, signature });
    return signature;
  });
}

const methods = {
  eth_chainId: () => hex(state.chainId),
  net_version: () => String(state.chainId),
  eth_accounts: () => accounts(),
  eth_requestAccounts: () => (state.authorised ? accounts() : owner('eth_requestAccounts', () => {
    state.authorised = true;
    emit('accountsChanged', accounts());
    return accounts();
  })),
  wallet_switchEthereumChain: (params) => {
    const id = chainIdParam(param(params, 0)?.chainId);
    if (!chains.has(id)) throw new ProviderRpcError(4902, `Unrecognized chain ID "${hex(id)}". Try adding the chain using wallet_addEthereumChain first.`);
    return owner('wallet_switchEthereumChain', () => { setChain(id); return null; });
  },
  wallet_addEthereumChain: (params) => {
    const p = param(params, 0) ?? {};
    const id = chainIdParam(p.chainId);
    const urls = p.rpcUrls;
    if (typeof p.chainName !== 'string' || !p.chainName) throw new ProviderRpcError(-32602, 'Invalid parameters: chainName is required');
    if (!Array.isArray(urls) || urls.length === 0 || !urls.every((u) => /^https?:\/\//.test(u))) throw new ProviderRpcError(-32602, 'Invalid parameters: rpcUrls must be a non-empty array of http(s) URLs');
    const c = p.nativeCurrency;
    if (!c || typeof c.symbol !== 'string' || c.decimals !== 18) throw new ProviderRpcError(-32602, 'Invalid parameters: nativeCurrency needs a symbol and 18 decimals');
    return owner('wallet_addEthereumChain', () => {
      chains.set(id, p);
      state.added.push(p);
      setChain(id); // Like MetaMask: adding a chain also switches to it once approved.
      return null;
    });
  },
  eth_signTypedData_v4: signTypedData,
  // Like a real wallet, eth_call goes to the current chain's RPC URL (chains added with one).
  eth_call: async (params) => {
    const rpc = chains.get(state.chainId)?.rpcUrls?.[0];
    if (!rpc) throw new ProviderRpcError(-32603, `this test wallet has no RPC URL for chain ${state.chainId}`);
    const response = await fetch(rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params }) });
    const body = await response.json();
    if (body.error) throw new ProviderRpcError(body.error.code, body.error.message, body.error.data);
    return body.result;
  },
};

const provider = Object.freeze({
  isZgTestWallet: true,
  async request(args) {
    const { method, params } = args ?? {};
    state.requests.push(method);
    if (!state.connected) throw new ProviderRpcError(4900, 'The provider is disconnected from all chains.');
    const handler = methods[method];
    if (!handler) throw new ProviderRpcError(4200, `The provider does not support the requested method ${JSON.stringify(method)}.`);
    return handler(params);
  },
  on(event, listener) {
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event).add(listener);
    return this;
  },
  removeListener(event, listener) {
    listeners.get(event)?.delete(listener);
    return this;
  },
});

/** What the test does as the owner, and what it reads back. */
const controls = {
  provider,
  get addresses() { return signers.map((s) => s.address); },
  get account() { return address(); },
  get chainId() { return state.chainId; },
  get authorised() { return state.authorised; },
  get requests() { return [...state.requests]; },
  get signed() { return state.signed.map((s) => ({ ...s })); },
  get added() { return [...state.added]; },
  setRefuse(refuse) { state.refuse = Boolean(refuse); },
  setHold(ms) { state.holdMs = Number(ms) || 0; },
  /** The owner picks another account in the wallet. */
  switchAccount(i) {
    if (!signers[i]) throw new Error(`no account ${i}`);
    state.current = i;
    if (state.authorised) emit('accountsChanged', accounts());
  },
  /** The owner switches the chain in the wallet. */
  switchChain(id) { if (!chains.has(id)) throw new Error(`unknown chain ${id}`); setChain(id); },
  /** The provider loses its chain (EIP-1193 disconnect, 4900); `reconnect()` undoes it. */
  disconnect() {
    state.connected = false;
    emit('disconnect', new ProviderRpcError(4900, 'The provider is disconnected from all chains.'));
  },
  reconnect() { state.connected = true; emit('connect', { chainId: hex(state.chainId) }); },
  /** The owner withdraws the site's access in the wallet: accountsChanged([]). */
  revoke() { state.authorised = false; emit('accountsChanged', []); },
};
window.zgTestWallets = { ...(window.zgTestWallets ?? {}), [rdns]: controls };
if (primary || !window.zgTestWallet) window.zgTestWallet = controls;

const icon = 'data:image/svg+xml;base64,' + btoa('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#3b3"/><text x="16" y="22" font-size="16" text-anchor="middle" fill="#fff">T</text></svg>');
const detail = Object.freeze({ info: Object.freeze({ uuid: crypto.randomUUID(), name, icon, rdns }), provider });
const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
window.addEventListener('eip6963:requestProvider', announce);
announce();
