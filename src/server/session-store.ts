/**
 * Where sessions live between sockets. A `SessionStore` holds what a session
 * must keep to be resumed (its numbers both ways and what the client has not
 * acknowledged); the `SessionServer` keeps only what cannot leave a process
 * (the live socket, timers, listeners) and a cache of the record it writes
 * through.
 *
 * Every method is asynchronous, so a store can live in a shared database and
 * let a client resume, on any server process, a session another process
 * opened. Ownership is an epoch: each socket that takes a session raises it
 * (`claim`), and every write names the epoch it was made under; a store
 * refuses a write whose epoch is not the record's current one. So a process
 * whose socket was taken over by another process learns it on its next write
 * at the latest, and `watchTakeover`, when the store has it, tells it at
 * once (so it can close the older socket with 1000, as the contract says).
 *
 * A store never interprets the protocol: it checks epochs and applies the
 * change it is given. The server calls it one operation at a time per
 * session (it serializes them), so a store need not order concurrent calls
 * for one session from one process; it must make `claim` atomic against
 * another process's `claim` and writes (a compare-and-set on the epoch).
 *
 * See docs/server.md, "Writing a store".
 */

/** A data frame the client has not acknowledged, as written on the wire. */
export interface StoredFrame {
  /** Its number. */
  readonly s: number;
  /** The frame's whole text (`{"t":"m","s":…,"d":…}`), replayed as it is. */
  readonly frame: string;
}

/** The state of one session, everything a process needs to resume it. */
export interface SessionRecord {
  /** The session id: at least 128 random bits, base64url. Its only secret. */
  readonly id: string;
  /** The user `identify()` named when the session opened; a resume by anyone else is refused. */
  readonly user: string;
  /**
   * Raised by one on every `claim`; writes under an older epoch are refused.
   * A new record starts at 1.
   */
  readonly epoch: number;
  /** The highest number the server has given a data frame (0: none yet). */
  readonly sent: number;
  /** The highest server number the client has acknowledged. */
  readonly acknowledged: number;
  /** The highest client number the server has received and delivered (what it acknowledges). */
  readonly received: number;
  /** The data frames numbered `acknowledged + 1` … `sent`, in order. */
  readonly unacknowledged: readonly StoredFrame[];
  /**
   * When the session is forgotten, in ms since the epoch (`Date.now()`), or
   * `null` while a socket holds it. A store treats a record past its expiry
   * as absent (a shared database can let the record expire by itself).
   */
  readonly expiresAt: number | null;
}

/**
 * The asynchronous interface behind `SessionServer`'s `store` option.
 * `MemorySessionStore` is the default and the reference implementation.
 *
 * Every write takes the epoch it was made under and resolves `true` when it
 * applied, `false` when the record is gone or its epoch is no longer that
 * one (another socket, maybe in another process, took the session): the
 * server then gives the session up in this process. A store rejects only when
 * it fails (a lost database connection); the server ends the session then.
 */
export interface SessionStore {
  /** Stores a new session (its id is fresh, so it collides with nothing). */
  create(record: SessionRecord): Promise<void>;

  /** The record, or `undefined` when it is unknown or past its expiry. */
  load(id: string): Promise<SessionRecord | undefined>;

  /**
   * Takes the session for a new socket, atomically: when the record exists,
   * is not past its expiry and its epoch is still `epoch` (the one the caller
   * loaded or holds), raises the epoch by one, clears `expiresAt`, and
   * resolves the record as it is now. Otherwise resolves `undefined` (the
   * caller loads again). A store with `watchTakeover` notifies the previous
   * epoch's watchers.
   */
  claim(id: string, epoch: number): Promise<SessionRecord | undefined>;

  /** Appends a data frame the server sends: `sent` becomes `frame.s` (always `sent + 1`). */
  append(id: string, epoch: number, frame: StoredFrame): Promise<boolean>;

  /** The client acknowledged up to `ack`: drops those frames and raises `acknowledged` (never lowers it). */
  acknowledge(id: string, epoch: number, ack: number): Promise<boolean>;

  /** The server received the client's frame `received` (always the previous `received + 1`). */
  receive(id: string, epoch: number, received: number): Promise<boolean>;

  /** The socket went: the session is forgotten at `expiresAt` unless a socket claims it first. */
  release(id: string, epoch: number, expiresAt: number): Promise<boolean>;

  /**
   * Forgets the session (it expired, overflowed or was ended). Resolves
   * `false`, and deletes nothing, only when another epoch holds it; a record
   * already gone counts as deleted.
   */
  delete(id: string, epoch: number): Promise<boolean>;

  /**
   * Optional: calls `listener` once when a `claim` raises the session past
   * `epoch`, so the process holding the older socket can close it at once
   * rather than at its next write. Returns a function that stops watching.
   */
  watchTakeover?(id: string, epoch: number, listener: () => void): () => void;

  /**
   * Optional, with `watchQueued` and `takeQueued`: sending from any process.
   * Holds a message (`data`, its JSON text) for whichever process holds the
   * session, and tells that process (`watchQueued`); it numbers it when it
   * takes it. Resolves `unknown` when there is no such session, `overflow`
   * when what the session already holds (unacknowledged and queued) has
   * reached `limit`: the store then marks the queue so that the session ends
   * (`overflow`) when it is taken, rather than skip a number.
   */
  enqueue?(id: string, data: string, limit: number): Promise<'queued' | 'unknown' | 'overflow'>;

  /**
   * Optional: moves up to `room` queued messages into the session, numbered
   * `sent + 1` … as data frames `{"t":"m","s":…,"d":data}`, atomically (a message is
   * either still queued or appended, never lost between). Resolves the
   * appended frames and whether the queue overflowed (messages left after
   * `room`, or an `enqueue` over its limit), or `false` when another epoch
   * holds the session.
   */
  takeQueued?(
    id: string,
    epoch: number,
    sent: number,
    room: number,
  ): Promise<{ frames: StoredFrame[]; overflow: boolean } | false>;

  /**
   * Optional: calls `listener` whenever a message may have been queued for
   * the session (it may also be called when none was: the listener takes
   * what there is). Returns a function that stops watching.
   */
  watchQueued?(id: string, listener: () => void): () => void;

  /**
   * Optional: calls `listener` when the store can no longer keep what it
   * holds (its database connection was lost, so a restarted database may
   * have forgotten every session). The server ends every session it holds
   * with `error` (close 1011): their clients resume, and learn whether the
   * session survived. Returns a function that stops watching.
   */
  watchFailure?(listener: (error: Error) => void): () => void;
}
