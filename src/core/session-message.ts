import { WsConnectionError } from './errors.js';
import { errorMessage, isBinary, stringify } from './message-format.js';

/**
 * A message as a session data frame's `d`, JSON text: any JSON value with
 * `json`, a string without; never binary. In the first module, not the
 * session's chunk, so `send()` refuses what a session cannot carry even
 * before the chunk is in.
 * @throws {WsConnectionError} `serialize`.
 */
export function encodeSessionMessage(data: unknown, json: boolean): string {
  if (isBinary(data)) throw new WsConnectionError('serialize', 'resume carries text and JSON only, not binary data.');
  let text: string | undefined;
  try {
    text = stringify(json || typeof data === 'string' ? data : String(data));
  } catch (cause) {
    throw new WsConnectionError('serialize', `Cannot send as JSON: ${errorMessage(cause)}`, { cause });
  }
  if (text === undefined) throw new WsConnectionError('serialize', `Cannot send ${typeof data} as JSON.`);
  return text;
}

/** An encoded message as `clearQueue()` returns it: the JSON text with `json`, the string without. */
export function decodeSessionMessage(d: string, json: boolean): string {
  return json ? d : (JSON.parse(d) as string);
}
