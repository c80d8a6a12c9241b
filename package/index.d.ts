// zg-align's JavaScript API. The worker protocol's types (Command, StartParams, Status,
// WorkerMessage, NodeEvent, ...) are generated from the Rust types (crate/src/wasm/worker.rs) into
// ./wasm/zg_align.d.ts and re-exported here; docs/api.md has an example per call.

import type {
  CheckKind, Command, ConnectionEvent, FilesEvent, NodeEvent, ProblemEvent, RelayEvent, RelayInfo, Request, RoundEvent, SignedReport, StartParams,
  Status, VerdictEvent, WorkerMessage,
} from './wasm/zg_align.js';

export type {
  CheckKind, Command, ConnectionEvent, FilesEvent, NodeEvent, ProblemEvent, RelayEvent, RelayInfo, Request, RoundEvent, SignedReport, StartParams,
  Status, VerdictEvent, WorkerMessage,
};

/** `start`'s config: a relay multiaddr (or several: `relays`) or a manifest URL, the kinds to check, intervals (ms). */
export type StartConfig = StartParams;

/** The page's signer: EIP-712 typed data (JSON text) signed by `account`, e.g. with an EIP-1193 provider's `eth_signTypedData_v4`. */
export type Signer = (account: string, typedDataJson: string) => Promise<string>;

export declare const DEFAULT_TIMEOUT_MS: number;

/** A call that failed on the page's side of the worker. */
export declare class NodeClientError extends Error {
  readonly reason: 'timeout' | 'workerDied' | 'disposed' | 'leaderChanged';
}

/** An Error from the worker; `reason` where it gave one (`refused`, `noWallet`, `timeout`, `badRequest`, ...). */
export type NodeError = Error & { reason?: string };

export interface SpawnOptions {
  /** Forces data channels to be relayed through the page instead of transferred to the worker. */
  relay?: boolean;
  /** Where the worker entry (`zg-align/worker`) is served, when a bundler did not keep it beside the client. */
  workerUrl?: string | URL | null;
  /**
   * A worker the page already started on the worker entry, with the events it fired before this
   * call (a page's head can start it before the page's script has loaded; the client takes both over).
   */
  started?: { worker: Worker; early: Event[] } | null;
  /** Every request's default time-out (30 s); signing calls wait at least 5 min for the owner. */
  timeoutMs?: number;
  /** How long the worker may take to load its wasm (30 s). */
  readyTimeoutMs?: number;
}

export interface NodeClientEventMap {
  connection: CustomEvent<ConnectionEvent>;
  round: CustomEvent<RoundEvent>;
  files: CustomEvent<FilesEvent>;
  verdict: CustomEvent<VerdictEvent>;
  problem: CustomEvent<ProblemEvent>;
  /** A relay after the first (a second path): connected, refused, lost. */
  relay: CustomEvent<RelayEvent>;
  /** The client closed: `reason` is `workerDied` or `disposed`. */
  close: CustomEvent<{ reason: 'workerDied' | 'disposed'; message: string }>;
}

export interface License { tokenId: string; owner: string; operator?: string | null }

export interface ReportRoundParams { round: number; license: License; chainId: number; verifyingContract: string }

/** The node's events to listeners, async iterators and DOM listeners (under each event's `type`). */
export declare class EventHub extends EventTarget {
  /** Adds `listener`; returns a function that removes it. A throwing listener stops no other. */
  listen(listener: (event: NodeEvent) => void): () => void;
  /** The events as an async iterator, until `signal` aborts, the loop breaks or the hub closes. */
  events(options?: { signal?: AbortSignal }): AsyncIterableIterator<NodeEvent>;
  addEventListener<K extends keyof NodeClientEventMap>(type: K, listener: (ev: NodeClientEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
}

/** The calls a node answers, in this tab's worker (NodeClient) or the leading tab's (SharedNode). */
export declare abstract class NodeCalls extends EventHub {
  /** One command of the worker protocol; rejects on the worker's Error, a time-out, the worker's death or dispose. */
  abstract request(method: Command['method'], params?: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  /** Calls `listener` for every event; resolves to a function that unsubscribes. A throwing listener stops no other. */
  subscribe(listener: (event: NodeEvent) => void): Promise<() => void>;
  start(config?: StartConfig | null): Promise<null>;
  stop(): Promise<boolean>;
  status(): Promise<Status>;
  echo(len: number, count: number): Promise<number[]>;
  signTypedData(typedData: string | object, account: string): Promise<string>;
  reportRound(params: ReportRoundParams): Promise<{ report: SignedReport; digest: string }>;
  publishReport(report: SignedReport): Promise<{ accepted: boolean; [field: string]: unknown }>;
  relayInfo(): Promise<RelayInfo | null>;
  evmCall(chain: 'zg' | 'licenses', call: { jsonrpc?: string; id?: number; method: string; params?: unknown[] }): Promise<unknown>;
  licenseCallData(method: string, args: string[]): Promise<string>;
  licenseDecode(method: string, data: string): Promise<unknown>;
  rewardsPanel(activity: { daysSinceTge: number; daysSelfRun: number; daysDelegated: number; commissionBps: number }): Promise<unknown>;
  /** The page's wallet, asked when the node needs a signature. */
  signer: Signer | null;
  readonly disposed: boolean;
  abstract dispose(): void;
}

/**
 * One node for every tab of an origin that joins `name`: a Web Locks election picks the tab whose
 * worker runs it, the others attach over a BroadcastChannel. A new leader restarts the node with the
 * shared config, rounds numbered on; a (license, round) reported once is refused after (`alreadyReported`).
 */
export declare class SharedNode extends NodeCalls {
  /** Joins; resolves once this tab leads or the leader answered. `spawn`: NodeClient.spawn's options for when this tab leads. */
  static join(options?: { name?: string; spawn?: SpawnOptions; timeoutMs?: number }): Promise<SharedNode>;
  /** `leader` while this tab's worker runs the node; it fires `role` when it becomes leader. */
  readonly role: 'leader' | 'follower';
  readonly lastRound: number;
  /** The node's current state as events (the last connection and round, each node's latest verdict); `subscribe` gets these first. */
  currentEvents(): NodeEvent[];
  request(method: Command['method'], params?: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  /** Leaves: a leading tab ends its worker and the next tab leads. */
  dispose(): void;
}

/** The page's handle on the node in its dedicated worker. */
export declare class NodeClient extends NodeCalls {
  /** Starts the worker; resolves once it is ready and sends its events. */
  static spawn(options?: SpawnOptions): Promise<NodeClient>;
  readonly worker: Worker;
  readonly rtc: RtcHost;
  timeoutMs: number;
  request(method: Command['method'], params?: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  /** The events as an async iterator, until `signal` aborts, the loop breaks or the client closes. */
  events(options?: { signal?: AbortSignal }): AsyncIterableIterator<NodeEvent>;
  /** Stops the node, terminates the worker, closes its WebRTC connections; pending calls reject. */
  dispose(): void;
  addEventListener<K extends keyof NodeClientEventMap>(type: K, listener: (ev: NodeClientEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
}

/** The page's part of webrtc-direct: peer connections for the worker, which has none. */
export declare class RtcHost {
  constructor(worker: Worker, options?: { relay?: boolean });
  /** `transferred` or `relayed` once a channel was handed to the worker. */
  readonly channels: 'transferred' | 'relayed' | null;
  handle(message: unknown): boolean;
  dispose(): void;
}

/** 0G mainnet as a wallet adds it. */
export declare const MAINNET: Readonly<{ chainId: number; chainName: string; rpcUrls: string[]; nativeCurrency: { name: string; symbol: string; decimals: number } }>;
/** EIP-1193 and EIP-1474 error codes the wallet bridge explains. */
export declare const CODES: Readonly<Record<'refused' | 'unauthorised' | 'unsupported' | 'disconnected' | 'chainDisconnected' | 'unknownChain' | 'pending', number>>;
/** The chain reports belong to: a devnet's own when `origin` serves `/devnet.json`, else 0G mainnet. */
export declare function expectedChain(origin?: string): Promise<typeof MAINNET & { local?: boolean }>;

export interface WalletSnapshot {
  state: string; uuid: string | null; rdns: string | null; name: string | null; account: string | null; chainId: number | null;
  expectedChainId: number | null; expectedChainName: string | null; chainOk: boolean; signing: number; error: { code: number | null; message: string } | null;
  wallets: { uuid: string; name: string; icon: string; rdns: string }[];
}

/** The owner's wallets (EIP-6963) and EIP-1193 requests to the chosen one; fires `change`. */
export declare class WalletManager extends EventTarget {
  constructor(options?: { storage?: Storage });
  readonly snapshot: WalletSnapshot;
  readonly chainOk: boolean;
  account: string | null;
  /** Listens for wallets' announcements and asks them to announce. */
  discover(target?: EventTarget): void;
  expect(chain: typeof MAINNET): void;
  choose(uuid: string): void;
  connect(uuid?: string): Promise<void>;
  switchChain(): Promise<void>;
  /** EIP-712 `eth_signTypedData_v4` in the chosen wallet: use as `client.signer = (a, t) => wallet.signTypedData(a, t)`. */
  signTypedData(account: string, typedDataJson: string): Promise<string>;
  disconnect(): void;
}

export declare const CHECK_KINDS: readonly CheckKind[];
/** Verdict names, most serious first. */
export declare const VERDICT_ORDER: readonly string[];
/** One line that says why a node got its verdict (never "undefined"). */
export declare function describeVerdict(kind: string, verdict: VerdictEvent['verdict']): string;
/** Whether a verdict needs the owner's eye (not healthy, pending or unchecked). */
export declare function isProblem(verdict: string): boolean;
/** A long id as `0x12345678…abcd`. */
export declare function shortId(id: string): string;

/** The validator check's trust anchor from "<chain id> <height> <header hash>" (spaces or commas between); throws an `Error` saying what is wrong. */
export declare function parseTrustAnchor(text: string): { chainId: string; height: number; hash: string };
/** Shows a verdict in `rows` (a tbody): one row per node and kind with `data-node`, `data-kind`, `data-verdict`, `data-round`. */
export declare function showVerdict(rows: HTMLTableSectionElement, event: VerdictEvent): HTMLTableRowElement;

/** The node's round interval when the start config names none. */
export declare const DEFAULT_ROUND_INTERVAL_MS: number;
/** The verdict board's CSS (for a page; the element has it in its shadow root). */
export declare const BOARD_STYLE: string;
/** The verdicts at a glance: a headline, a card per kind, a folding group per kind (problems first), validators as a grid. Fires `select` ({kind, node}) when a row is clicked. */
export declare class VerdictBoard extends EventTarget {
  constructor(container: Element, options?: { roundIntervalMs?: number });
  roundIntervalMs: number;
  /** Verdict, round and problem events; others are ignored. */
  onEvent(event: NodeEvent): void;
  /** Every verdict row, folded or not. */
  readonly rows: HTMLTableRowElement[];
  dispose(): void;
}

/** One record of a node's verdict history. */
export interface HistoryRecord { at: number; round: number; kind: CheckKind; node: string; verdict: string }
/** A node's latest verdict and when it was last judged. */
export interface HistorySeen { key: string; kind: CheckKind; node: string; verdict: string; round: number; at: number; seenAt: number }
export declare const RETENTION_DAYS: readonly number[];
export declare const DEFAULT_RETENTION_DAYS: number;
export declare const DEFAULT_MAX_RECORDS: number;
/** Each node's verdicts over time in IndexedDB, bounded by age and count. */
export declare class VerdictHistory {
  static open(options?: { name?: string; retentionDays?: number; maxRecords?: number; heartbeatMs?: number }): Promise<VerdictHistory>;
  retentionDays: number;
  maxRecords: number;
  readonly seen: Map<string, HistorySeen>;
  add(events: VerdictEvent[], at?: number): Promise<void>;
  of(kind: string, node: string): Promise<{ records: HistoryRecord[]; seenAt: number | null }>;
  latest(): Promise<HistorySeen[]>;
  count(): Promise<number>;
  all(): Promise<HistoryRecord[]>;
  prune(now?: number): Promise<void>;
  setRetention(days: number): Promise<void>;
}

export declare const VERDICT_COLORS: Readonly<Record<string, string>>;
/** The stretches of time a node held each verdict. */
export declare function stretches(records: HistoryRecord[], seenAt: number | null): { verdict: string; round: number; from: number; to: number }[];
/** The share of time of each verdict. */
export declare function shares(records: HistoryRecord[], seenAt: number | null): Record<string, number>;
/** An SVG chart of one node's verdicts over time. */
export declare function verdictChart(doc: Document, options: { records: HistoryRecord[]; seenAt: number | null; title: string; width?: number }): SVGSVGElement;
/** Offers `value` for download as a JSON file. */
export declare function downloadJson(name: string, value: unknown): void;
