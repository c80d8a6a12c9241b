// The node's events to everyone who asked for them: listeners, async iterators and DOM listeners
// (the hub is an EventTarget; each event is dispatched under its `type`). One that throws stops
// none of the others.

/** Events an iterator holds for a reader that does not keep up; older ones are dropped. */
const ITERATOR_BUFFER = 1024;

export class EventHub extends EventTarget {
  constructor() {
    super();
    this.listeners = new Set();
    this.iterators = new Set();
    /** Set once the hub closed: iterators end, later ones end at once. */
    this.hubClosed = false;
  }

  /** One event to every listener, iterator and DOM listener. */
  emit(event) {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (e) {
        reportError(e);
      }
    }
    for (const iterator of this.iterators) iterator.push(event);
    // dispatchEvent reports a DOM listener's exception and goes on to the next listener.
    if (typeof event?.type === 'string') this.dispatchEvent(new CustomEvent(event.type, { detail: event }));
  }

  /** Adds `listener(event)`; returns a function that removes it. */
  listen(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The events as an async iterator, from now until `signal` aborts, `return()` is called (a
   * `break` out of `for await`), or the hub closes. A slow reader loses the oldest events past 1024.
   */
  events({ signal } = {}) {
    const buffer = [];
    let wake = null;
    let done = this.hubClosed || Boolean(signal?.aborted);
    const finish = () => {
      done = true;
      this.iterators.delete(entry);
      signal?.removeEventListener('abort', finish);
      wake?.();
    };
    const entry = {
      push: (event) => {
        buffer.push(event);
        if (buffer.length > ITERATOR_BUFFER) buffer.shift();
        wake?.();
      },
      finish,
    };
    if (!done) {
      this.iterators.add(entry);
      signal?.addEventListener('abort', finish, { once: true });
    }
    return {
      [Symbol.asyncIterator]() { return this; },
      async next() {
        while (!buffer.length && !done) await new Promise((resolve) => { wake = resolve; });
        wake = null;
        if (buffer.length) return { value: buffer.shift(), done: false };
        return { value: undefined, done: true };
      },
      async return() {
        finish();
        buffer.length = 0;
        return { value: undefined, done: true };
      },
    };
  }

  /** Ends every iterator and drops every listener. */
  closeHub() {
    this.hubClosed = true;
    for (const iterator of [...this.iterators]) iterator.finish();
    this.listeners.clear();
  }
}
