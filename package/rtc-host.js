// The tab's part of webrtc-direct. Browsers give workers no RTCPeerConnection, so the tab owns it
// and makes the SDP calls; the worker does everything else. Each relay the node uses is its own
// peer connection (the worker's `create` names the relay's place in its list), and each data
// channel goes to the worker tagged with that relay, in the task that created it (the only moment
// a channel can be transferred), or, where a browser cannot transfer channels, the tab relays its
// bytes over a MessagePort with credits both ways. The messages are the worker's own types
// (crate/src/wasm/rtc/bridge.rs).

/** Bytes either side may have in flight over a relay port before it waits for credit. */
const RELAY_WINDOW = 256 * 1024;
/** Bytes the tab holds for a relayed channel while the worker has no credit: a peer that sends
 * past this is not reading its own flow control, and the channel is closed. */
const MAX_BACKLOG = 4 * RELAY_WINDOW;
/** The hash the worker names for a relay's certificate (libp2p's certhash). */
const CERTHASH = 'sha-256';

const makeCertificate = (hash) => RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256', hash });

export class RtcHost {
  /** @param {Worker} worker  @param {{relay?: boolean}} options relay forces the fallback */
  constructor(worker, { relay = false } = {}) {
    this.worker = worker;
    this.forceRelay = relay;
    this.connections = new Map();
    /** Each connection's relay (its place in the node's list of relays). */
    this.relayOf = new Map();
    /** 'transferred' or 'relayed', once a channel was handed over. */
    this.channels = null;
    /** A certificate made ahead for the next connection (see `certificate`). */
    this.spare = null;
    if (typeof RTCPeerConnection === 'function') this.certificate(CERTHASH);
  }

  /** A fresh certificate for a new connection: the one made ahead (while the worker loads, then
   * after each use), so a dial does not wait for its key (2-12 ms here, once 165 ms). */
  certificate(hash) {
    const ready = this.spare?.hash === hash ? this.spare.made : makeCertificate(hash);
    this.spare = { hash, made: makeCertificate(hash) };
    this.spare.made.catch(() => {}); // its error, if any, comes when it is used
    return ready;
  }

  /** Handles a `{rtc}` message from the worker; returns false for other messages. */
  handle(message) {
    if (typeof message?.rtc !== 'string') return false;
    const ops = { create: this.create, describe: this.describe, open: this.open, close: this.close };
    const op = ops[message.rtc];
    if (op) op.call(this, message).catch((e) => this.post({ rtc: 'failed', conn: message.conn, message: String(e?.message ?? e) }));
    return true;
  }

  post(message, transfer = []) {
    this.worker.postMessage(message, transfer);
  }

  async create({ conn, relay, hash }) {
    const certificate = await this.certificate(hash);
    const pc = new RTCPeerConnection({ certificates: [certificate] });
    this.connections.set(conn, pc);
    this.relayOf.set(conn, Number.isInteger(relay) ? relay : 0);
    // Installed before anything else: the peer may open streams as soon as it is connected.
    pc.ondatachannel = ({ channel }) => this.give(conn, channel, 'inbound');
    pc.onconnectionstatechange = () => {
      this.post({ rtc: 'state', conn, state: pc.connectionState });
      if (['failed', 'closed', 'disconnected'].includes(pc.connectionState)) this.forget(conn);
    };
    this.give(conn, pc.createDataChannel('', { negotiated: true, id: 0 }), 'handshake');
    const offer = await pc.createOffer();
    this.post({ rtc: 'offer', conn, sdp: offer.sdp });
  }

  async describe({ conn, offer, answer }) {
    const pc = this.connection(conn);
    await pc.setLocalDescription({ type: 'offer', sdp: offer });
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    this.post({ rtc: 'described', conn, sdp: pc.localDescription.sdp });
  }

  async open({ conn, stream }) {
    this.give(conn, this.connection(conn).createDataChannel(''), 'outbound', stream);
  }

  async close({ conn }) {
    this.forget(conn);
  }

  connection(conn) {
    const pc = this.connections.get(conn);
    if (!pc) throw new Error(`no peer connection ${conn}`);
    return pc;
  }

  /** Closes every peer connection (their channels, relayed ports with them): for `NodeClient.dispose()`. */
  dispose() {
    for (const conn of [...this.connections.keys()]) this.forget(conn);
  }

  forget(conn) {
    const pc = this.connections.get(conn);
    if (!pc) return;
    this.connections.delete(conn);
    this.relayOf.delete(conn);
    pc.close();
  }

  /** Hands `dc` to the worker now, tagged with its connection's relay: transferred if the browser can, else relayed. */
  give(conn, dc, role, stream) {
    dc.binaryType = 'arraybuffer';
    const relay = this.relayOf.get(conn) ?? 0;
    if (!this.forceRelay) {
      try {
        this.post({ rtc: 'channel', conn, relay, role, stream, dc }, [dc]);
        this.channels = 'transferred';
        return;
      } catch (e) {
        if (e?.name !== 'DataCloneError') throw e;
      }
    }
    this.channels = 'relayed';
    this.relay(conn, relay, dc, role, stream);
  }

  relay(conn, relayIndex, dc, role, stream) {
    const { port1: port, port2 } = new MessageChannel();
    let credit = RELAY_WINDOW; // bytes we may still pass to the worker
    let owed = 0; // bytes the worker sent that the channel has since let go of
    const backlog = [];
    let backlogBytes = 0;
    const pump = () => {
      while (backlog.length && credit > 0) {
        const bytes = backlog.shift();
        backlogBytes -= bytes.byteLength;
        credit -= bytes.byteLength;
        port.postMessage({ type: 'data', bytes }, [bytes]);
      }
    };
    const fail = () => {
      dc.close();
      port.postMessage({ type: 'close' });
      port.close();
    };
    const grant = () => {
      if (owed > 0 && dc.bufferedAmount <= dc.bufferedAmountLowThreshold) {
        port.postMessage({ type: 'credit', bytes: owed });
        owed = 0;
      }
    };
    dc.bufferedAmountLowThreshold = RELAY_WINDOW / 4;
    dc.onopen = () => port.postMessage({ type: 'open' });
    // Only binary messages carry libp2p frames: a text frame, or more than the backlog holds,
    // closes the channel (the worker fails the stream; the connection goes on).
    dc.onmessage = ({ data }) => {
      if (!(data instanceof ArrayBuffer) || backlogBytes + data.byteLength > MAX_BACKLOG) {
        fail();
        return;
      }
      backlog.push(data);
      backlogBytes += data.byteLength;
      pump();
    };
    dc.onbufferedamountlow = grant;
    dc.onclose = () => { port.postMessage({ type: 'close' }); port.close(); };
    port.onmessage = ({ data }) => {
      if (data?.type === 'data' && ArrayBuffer.isView(data.bytes) && dc.readyState === 'open') {
        dc.send(data.bytes);
        owed += data.bytes.byteLength;
        grant();
      } else if (data?.type === 'credit') {
        const granted = Number(data.bytes);
        if (Number.isFinite(granted) && granted > 0) credit = Math.min(RELAY_WINDOW, credit + granted);
        pump();
      } else if (data?.type === 'close') {
        dc.close();
        port.close();
      }
    };
    this.post({ rtc: 'channel', conn, relay: relayIndex, role, stream, port: port2, open: dc.readyState === 'open' }, [port2]);
  }
}
