import type { BackoffOptions } from './backoff.js';
import type { CloseCodeRanges } from './close-codes.js';
import type { Handshake } from './handshake.js';

export type UrlProvider = () => string | Promise<string>;

/** Everything that shapes a connection; the element maps its attributes onto these. */
export interface ConnectionOptions extends BackoffOptions {
  url: string;
  /** Called before every attempt; its result is used instead of `url`. */
  urlProvider: UrlProvider | null;
  /** Runs on every socket after it opens and before it counts as open (an application protocol's init). */
  handshake: Handshake | null;
  /** Speak the resume protocol: every message arrives once and in order across reconnects. */
  resume: boolean;
  /** Base for relative URLs (the element passes `document.baseURI`). */
  baseUrl: string | undefined;
  protocols: readonly string[];
  binaryType: 'blob' | 'arraybuffer';
  json: boolean;
  /** Retries after a failure before giving up; `Infinity` never gives up. */
  maxRetries: number;
  /** 0: no timeout. */
  connectTimeout: number;
  minUptime: number;
  /** 0: heartbeat off. */
  heartbeatInterval: number;
  heartbeatMessage: string;
  heartbeatReply: string;
  heartbeatTimeout: number;
  queueLimit: number;
  stopCodes: CloseCodeRanges;
}

export const defaultOptions: Readonly<ConnectionOptions> = Object.freeze<ConnectionOptions>({
  url: '',
  urlProvider: null,
  handshake: null,
  resume: false,
  baseUrl: undefined,
  protocols: [],
  binaryType: 'blob',
  json: false,
  retryDelay: 1000,
  retryMaxDelay: 30000,
  retryFactor: 2,
  retryJitter: 0.5,
  maxRetries: Infinity,
  connectTimeout: 10000,
  minUptime: 5000,
  heartbeatInterval: 0,
  heartbeatMessage: 'ping',
  heartbeatReply: 'pong',
  heartbeatTimeout: 5000,
  queueLimit: 1000,
  // One entry per code, so the list reads back as the contract writes it.
  stopCodes: [1002, 1003, 1007, 1008, 1009, 1010].map((code) => [code, code] as const),
});
