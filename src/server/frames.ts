/**
 * The frames of the wire protocol, version 1, as the server reads and writes
 * them (the contract's "The wire protocol, version 1"): every frame is a text
 * frame holding one JSON object whose `t` names its kind.
 */

/** The protocol version this module speaks. */
export const PROTOCOL_VERSION = 1;

/** A frame a client may send, once parsed and checked. */
export type ClientFrame =
  | { readonly t: 'hello'; readonly resume: { readonly session: string; readonly ack: number } | undefined }
  | { readonly t: 'm'; readonly s: number; readonly d: unknown }
  | { readonly t: 'a'; readonly ack: number }
  | { readonly t: 'ping' };

/** Why a client's frame breaks the protocol; the text becomes the close reason. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Frame numbers start at 1; acknowledgements at 0 (nothing received). */
function isCount(value: unknown, least: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= least;
}

/**
 * Parses one text frame from a client. Throws `FrameError` for JSON that does
 * not parse, an unknown `t` or fields of the wrong type: each is a protocol
 * error the server answers by closing the socket (4002).
 */
export function parseClientFrame(text: string): ClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FrameError('frame is not JSON');
  }
  if (!isRecord(value)) throw new FrameError('frame is not a JSON object');
  switch (value.t) {
    case 'hello': {
      if (value.v !== PROTOCOL_VERSION) throw new FrameError('unsupported protocol version');
      if (value.session === undefined && value.ack === undefined) return { t: 'hello', resume: undefined };
      if (typeof value.session !== 'string' || value.session === '' || !isCount(value.ack, 0)) {
        throw new FrameError('malformed hello');
      }
      return { t: 'hello', resume: { session: value.session, ack: value.ack } };
    }
    case 'm':
      if (!isCount(value.s, 1) || !('d' in value)) throw new FrameError('malformed data frame');
      return { t: 'm', s: value.s, d: value.d };
    case 'a':
      if (!isCount(value.ack, 0)) throw new FrameError('malformed acknowledgement');
      return { t: 'a', ack: value.ack };
    case 'ping':
      return { t: 'ping' };
    default:
      throw new FrameError('unknown frame type');
  }
}

export function welcomeFrame(session: string, resumed: boolean, ack: number): string {
  return JSON.stringify({ t: 'welcome', session, resumed, ack });
}

export function ackFrame(ack: number): string {
  return `{"t":"a","ack":${ack}}`;
}

export const pongFrame = '{"t":"pong"}';

/**
 * A data frame's text. `json` is the message already serialized, so a frame is
 * built (and stored, and replayed) without serializing the message again.
 */
export function dataFrame(s: number, json: string): string {
  return `{"t":"m","s":${s},"d":${json}}`;
}
