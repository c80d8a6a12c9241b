import type { NodeClient, SharedNode, StartConfig, Signer, VerdictBoard } from './index.js';
import type { ConnectionEvent, VerdictEvent } from './wasm/zg_align.js';

/** Panels an element can show (the `panels` attribute, space-separated); default `status verdicts`. */
export declare const PANELS: readonly ['licenses', 'status', 'verdicts', 'reports'];

/** A finished round: its verdicts, what a license owner signs with `client.reportRound`. */
export interface RoundReport { round: number; verdicts: VerdictEvent[] }

/** One verdict row as the element shows it (from its data attributes). */
export interface VerdictRow { node: string; kind: string; verdict: string; round: number }

/**
 * `<zg-align-node relay="/ip4/…" | manifest-url="/devnet.json" autostart panels="status verdicts"
 * kinds="storage da" round-interval-ms="5000" channels="relayed" transport="http" shared>`.
 * `shared` (or `shared="name"`): one node for every tab of the origin (SharedNode).
 * Events (bubbling, composed): `zg-connection`, `zg-verdict`, `zg-report`.
 */
export declare class ZgAlignNode extends HTMLElement {
  static observedAttributes: string[];
  /** The node's client once started, else null: a SharedNode with the `shared` attribute. */
  client: NodeClient | SharedNode | null;
  /** The page's wallet for report signatures. */
  signer: Signer | null;
  readonly panels: string[];
  readonly verdictRows: VerdictRow[];
  /** The verdicts panel (the demo page's board). */
  readonly board: VerdictBoard;
  /** The config the attributes give. */
  configFromAttributes(): StartConfig;
  /** The element's client, spawned on first use. */
  getClient(): Promise<NodeClient>;
  /** Starts the node with the attributes' config and `config` over it. */
  start(config?: StartConfig): Promise<void>;
  stop(): Promise<void>;
  /** Ends the node and its worker (also done when the element leaves the page). */
  dispose(): void;
  addEventListener<K extends keyof ZgAlignNodeEventMap>(type: K, listener: (this: ZgAlignNode, ev: ZgAlignNodeEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

export interface ZgAlignNodeEventMap extends HTMLElementEventMap {
  'zg-connection': CustomEvent<ConnectionEvent>;
  'zg-verdict': CustomEvent<VerdictEvent>;
  'zg-report': CustomEvent<RoundReport>;
}

declare global {
  interface HTMLElementTagNameMap { 'zg-align-node': ZgAlignNode }
  interface HTMLElementEventMap {
    'zg-connection': CustomEvent<ConnectionEvent>;
    'zg-verdict': CustomEvent<VerdictEvent>;
    'zg-report': CustomEvent<RoundReport>;
  }
}
