/**
 * The close codes the server uses. 4002 is the contract's; the others are this
 * module's choices, each documented in docs/server.md ("Close codes").
 */
export const closeCodes = {
  /** Session ended by `end()`, or an older socket replaced by a newer one resuming its session. */
  normal: 1000,
  /** `SessionServer.close()`: the server is going away; the client resumes elsewhere. */
  goingAway: 1001,
  /** `identify()` threw or rejected: the server could not name the user. */
  policy: 1008,
  /** The store failed: the server can no longer keep the session's promises. */
  internal: 1011,
  /** A resume lost the race for its session to other processes several times over; the client retries. */
  tryAgain: 1013,
  /** The contract's protocol error: the session is kept and the client resumes. */
  protocol: 4002,
  /** More than `bufferLimit` unacknowledged messages: the session is forgotten. */
  overflow: 4003,
} as const;
