import { WsConnectionError } from './errors.js';
import type { SocketData } from './send-queue.js';

/**
 * What `send()` hands the socket: strings and binary as they are; with
 * `json` anything else through `JSON.stringify`, without it `String()`.
 * @throws {WsConnectionError} `serialize` for a value JSON cannot carry.
 */
export function serializeMessage(data: unknown, json: boolean): SocketData {
  if (typeof data === 'string' || isBinary(data)) return data;
  if (!json) return String(data);
  let text: string | undefined;
  try {
    text = stringify(data);
  } catch (cause) {
    throw new WsConnectionError('serialize', `Cannot send as JSON: ${errorMessage(cause)}`, { cause });
  }
  if (text === undefined) {
    throw new WsConnectionError('serialize', `Cannot send ${typeof data} as JSON.`);
  }
  return text;
}

/**
 * A received frame as `message` carries it: with `json` a text frame parsed.
 * @throws {WsConnectionError} `parse`, the raw text on `data`.
 */
export function parseMessage(data: unknown, json: boolean): unknown {
  if (!json || typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch (cause) {
    throw new WsConnectionError('parse', `A frame is not JSON: ${errorMessage(cause)}`, { cause, data });
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// JSON.stringify returns undefined for undefined, functions and symbols, whatever lib.d.ts says.
export const stringify: (value: unknown) => string | undefined = JSON.stringify;

export function isBinary(data: unknown): data is ArrayBufferLike | ArrayBufferView | Blob {
  return (
    data instanceof ArrayBuffer || ArrayBuffer.isView(data) || (typeof Blob !== 'undefined' && data instanceof Blob)
  );
}
