/** Every `code` an error from the connection can carry (see the contract's Events). */
export type ErrorCode =
  | 'invalid-url'
  | 'url-provider'
  | 'socket'
  | 'timeout'
  | 'heartbeat'
  | 'parse'
  | 'handshake'
  | 'protocol'
  | 'session-lost'
  | 'chunk-load'
  | 'queue-full'
  | 'not-open'
  | 'serialize';

export interface WsConnectionErrorOptions {
  cause?: unknown;
  /**
   * What the error is about: the raw text of a frame that could not be parsed
   * (`parse`), or the `<form ws-send>` that was not sent.
   */
  data?: unknown;
}

/** An `Error` with a machine-readable `code`, so callers branch on it, not on wording. */
export class WsConnectionError extends Error {
  override readonly name = 'WsConnectionError';
  readonly code: ErrorCode;
  readonly data: unknown;

  constructor(code: ErrorCode, message: string, options: WsConnectionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data;
  }
}
