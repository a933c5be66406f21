import type { Clock, TimerHandle } from './clock.js';
import { WsConnectionError } from './errors.js';
import { decodeSessionMessage, encodeSessionMessage } from './session-message.js';

/** What a frame from the server meant, for the connection. */
export type SessionFrame =
  | { readonly kind: 'data'; readonly data: unknown }
  | { readonly kind: 'pong' }
  /** An acknowledgement or a replay: nothing to tell. */
  | { readonly kind: 'none' };

/** The server's answer to a resume that it could not honour. */
export interface SessionLost {
  readonly previous: string;
  readonly unacknowledged: number;
}

/** What another tab needs to go on with a session: its id, its numbers, and what the server has not acknowledged. */
export interface SessionState {
  readonly id: string;
  readonly lastSent: number;
  readonly lastReceived: number;
  readonly written: readonly { readonly s: number; readonly d: string }[];
}

/** Told of every change to what `SessionState` holds, so another tab can keep a copy (`share="tabs"`). */
export interface SessionObserver {
  welcome?(id: string, resumed: boolean): void;
  sent?(s: number, d: string): void;
  acknowledged?(ack: number): void;
  received?(s: number): void;
}

/** A receiver acknowledges within this long of a data frame it has not acknowledged yet. */
export const ACK_DELAY = 250;

interface Written {
  readonly s: number;
  /** The message as the frame's `d`, JSON text. */
  readonly d: string;
}

/**
 * The client side of the resume protocol (version 1), for one session
 * across sockets: the outbox (messages numbered when first written, kept
 * until the server acknowledges them), the numbers received (replays
 * dropped, a gap refused), acknowledgements within 250 ms, and the
 * hello / welcome exchange. Framework-free; `Connection` drives it.
 *
 * `queued` counts every message not yet acknowledged: written or not.
 */
export class Session {
  readonly #clock: Clock;
  readonly #json: boolean;
  /** The server's name for the session; `null` before the first welcome and after a `url` change. */
  #id: string | null = null;
  #resumed = false;
  /** A session given up on (`forget()`), reported lost by the next welcome. */
  #forgotten: string | null = null;
  /** Written and not yet acknowledged, in order. */
  #written: Written[] = [];
  /** Not yet written: numbered when they are. */
  #pending: string[] = [];
  #lastSent = 0;
  #lastReceived = 0;
  #lastAcknowledged = 0;
  #write: ((text: string) => void) | undefined;
  #ackTimer: TimerHandle | undefined;

  readonly #observer: SessionObserver;
  /**
   * Taken over from a tab that vanished: it may have written more than it
   * told, so the first welcome may acknowledge numbers this tab never knew.
   */
  #takenOver = false;

  /** `state`: the session another tab held (`share="tabs"`), to resume it here. */
  constructor(clock: Clock, json: boolean, observer: SessionObserver = {}, state?: SessionState) {
    this.#clock = clock;
    this.#json = json;
    this.#observer = observer;
    if (state) {
      this.#id = state.id;
      this.#lastSent = state.lastSent;
      this.#lastReceived = state.lastReceived;
      this.#written = [...state.written];
      this.#takenOver = true;
    }
  }

  get id(): string | null {
    return this.#id;
  }

  get resumed(): boolean {
    return this.#resumed;
  }

  get queued(): number {
    return this.#written.length + this.#pending.length;
  }

  /** The socket's first frame: start a session, or resume this one. */
  hello(write: (text: string) => void): void {
    this.#write = write;
    const resume = this.#id === null ? '' : `,"session":${JSON.stringify(this.#id)},"ack":${this.#lastReceived}`;
    write(`{"t":"hello","v":1${resume}}`);
    // Frames acknowledged by this hello need no `a` of their own.
    this.#lastAcknowledged = this.#lastReceived;
  }

  /**
   * The server's first frame. Returns what was lost when the server did not
   * resume the session asked for (its unacknowledged messages then go first
   * in the new one).
   * @throws {WsConnectionError} `protocol` for anything but a sound welcome.
   */
  welcome(data: unknown): SessionLost | undefined {
    const frame = parseFrame(data);
    const { session, resumed, ack } = frame;
    if (frame.t !== 'welcome' || typeof session !== 'string' || session === '' || typeof resumed !== 'boolean') {
      throw protocolError('the first frame is not a welcome');
    }
    const takenOver = this.#takenOver;
    this.#takenOver = false;
    if (this.#id !== null && resumed && session === this.#id) {
      if (!isCount(ack) || (ack > this.#lastSent && !takenOver)) {
        throw protocolError(`the welcome acknowledges ${String(ack)}`);
      }
      this.#lastSent = Math.max(this.#lastSent, ack);
      this.#acknowledged(ack);
      this.#resumed = true;
      this.#observer.welcome?.(session, true);
      // What the server lacks goes again, same numbers, before anything newer.
      for (const { s, d } of this.#written) this.#writeFrame(s, d);
      return undefined;
    }
    const previous = this.#id ?? this.#forgotten;
    this.#forgotten = null;
    const unacknowledged = this.#written.length;
    this.#startOver();
    this.#id = session;
    this.#observer.welcome?.(session, false);
    // A welcome that claims to resume a session this client never asked for is a lost session all the same.
    return previous === null ? undefined : { previous, unacknowledged };
  }

  /**
   * A frame after the welcome.
   * @throws {WsConnectionError} `protocol` for a gap, an acknowledgement of more than was sent, or a bad frame.
   */
  receive(data: unknown): SessionFrame {
    // Binary frames are outside the protocol: passed on as they are.
    if (typeof data !== 'string') return { kind: 'data', data };
    const frame = parseFrame(data);
    switch (frame.t) {
      case 'm': {
        const { s } = frame;
        if (!isCount(s) || s === 0 || !('d' in frame)) throw protocolError('a data frame without a number or data');
        if (s <= this.#lastReceived) {
          // A replay: the server lacks our acknowledgement, so it hears it again; nothing is delivered twice.
          this.#scheduleAck();
          return { kind: 'none' };
        }
        if (s !== this.#lastReceived + 1) throw protocolError(`frame ${s} after ${this.#lastReceived}`);
        this.#lastReceived = s;
        this.#observer.received?.(s);
        this.#scheduleAck();
        const { d } = frame;
        return { kind: 'data', data: this.#json || typeof d === 'string' ? d : JSON.stringify(d) };
      }
      case 'a': {
        const { ack } = frame;
        if (!isCount(ack) || ack > this.#lastSent) throw protocolError(`an acknowledgement of ${String(ack)}`);
        this.#acknowledged(ack);
        return { kind: 'none' };
      }
      case 'pong':
        return { kind: 'pong' };
      default:
        throw protocolError(`an unexpected "${String(frame.t)}" frame`);
    }
  }

  /**
   * Sends `data` now as the next data frame when `open`, else holds it;
   * with `queue: false` not open, it is dropped (`false`). Either way it is
   * kept until acknowledged, within `limit`.
   * @throws {WsConnectionError} `serialize` (binary, or no JSON), `queue-full`, `not-open`.
   */
  send(data: unknown, open: boolean, limit: number, queue = true): boolean {
    const d = encodeSessionMessage(data, this.#json);
    if (!open && !queue) return false;
    if (!open && limit === 0) {
      throw new WsConnectionError('not-open', 'The connection is not open and queue-limit is 0.');
    }
    // queue-limit 0 means no queue: what is written while open is still kept until acknowledged, without bound.
    if (limit > 0 && this.queued >= limit) {
      throw new WsConnectionError('queue-full', `${this.queued} messages await the server's acknowledgement.`);
    }
    if (!open) {
      this.#pending.push(d);
      return false;
    }
    this.#writeNew(d);
    return true;
  }

  /** Takes messages already encoded (held before the session's module was loaded), after what it holds. */
  adopt(encoded: readonly string[]): void {
    this.#pending.push(...encoded);
  }

  /** On open: what was held while not open, numbered now, in order, before anything newer. */
  flush(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const d of pending) this.#writeNew(d);
  }

  /** The messages not yet written, as JSON text (`json`) or strings; the written ones stay for the server. */
  clearPending(): string[] {
    return this.#pending.splice(0).map((d) => decodeSessionMessage(d, this.#json));
  }

  /** Acknowledges at once what was received (before a clean close). */
  acknowledgeNow(): void {
    if (this.#lastReceived > this.#lastAcknowledged) this.#sendAck();
  }

  /** The socket is gone: nothing more is written until the next hello. */
  detach(): void {
    this.#write = undefined;
    this.#resumed = false;
    if (this.#ackTimer !== undefined) this.#clock.clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
  }

  /** A new URL or protocols: the next socket starts a new session, with everything unacknowledged first. */
  restart(): void {
    this.#startOver();
    this.#id = null;
    this.#forgotten = null;
  }

  /**
   * The server keeps refusing to resume (it closes the socket before any
   * welcome): the next hello starts a new session, and its welcome reports
   * this one lost, so the page hears of it as of any lost session.
   */
  forget(): void {
    if (this.#id === null) return;
    this.#forgotten = this.#id;
    this.#id = null;
  }

  #startOver(): void {
    this.#pending = [...this.#written.map((message) => message.d), ...this.#pending];
    this.#written = [];
    this.#lastSent = this.#lastReceived = this.#lastAcknowledged = 0;
    this.#resumed = false;
  }

  #acknowledged(ack: number): void {
    const kept = this.#written.findIndex((message) => message.s > ack);
    this.#written = kept === -1 ? [] : this.#written.slice(kept);
    this.#observer.acknowledged?.(ack);
  }

  #writeNew(d: string): void {
    const s = ++this.#lastSent;
    this.#written.push({ s, d });
    this.#observer.sent?.(s, d);
    this.#writeFrame(s, d);
  }

  #writeFrame(s: number, d: string): void {
    this.#write?.(`{"t":"m","s":${s},"d":${d}}`);
  }

  #scheduleAck(): void {
    this.#ackTimer ??= this.#clock.setTimeout(() => {
      this.#ackTimer = undefined;
      this.#sendAck();
    }, ACK_DELAY);
  }

  #sendAck(): void {
    if (!this.#write) return;
    this.#write(`{"t":"a","ack":${this.#lastReceived}}`);
    this.#lastAcknowledged = this.#lastReceived;
  }
}

interface Frame {
  readonly t?: unknown;
  readonly [key: string]: unknown;
}

function parseFrame(data: unknown): Frame {
  if (typeof data !== 'string') throw protocolError('a binary frame');
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    throw protocolError('a frame that is not JSON');
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) throw protocolError('not an object');
  return frame as Frame;
}

function protocolError(what: string): WsConnectionError {
  return new WsConnectionError('protocol', `The server broke the resume protocol: ${what}.`);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
