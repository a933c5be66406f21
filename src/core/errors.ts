/** Every `code` an error from the connection can carry (see the contract's Events). */
export type ErrorCode =
  | 'invalid-url'
  | 'url-provider'
  | 'socket'
  | 'timeout'
  | 'heartbeat'
  | 'parse'
  | 'queue-full'
  | 'not-open'
  | 'serialize';

export interface WsConnectionErrorOptions {
  cause?: unknown;
  /** The raw text of a frame that could not be parsed (`parse`). */
  data?: string;
}

/** An `Error` with a machine-readable `code`, so callers branch on it, not on wording. */
export class WsConnectionError extends Error {
  override readonly name = 'WsConnectionError';
  readonly code: ErrorCode;
  readonly data: string | undefined;

  constructor(code: ErrorCode, message: string, options: WsConnectionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data;
  }
}
