import { attributeOf } from '../attribute-options.js';
import type { ConnectionOptions } from '../core/options.js';

/** The options that belong to a group, taken from the member that started it. */
const GROUP_OPTIONS = [
  'binaryType',
  'retryDelay',
  'retryMaxDelay',
  'retryFactor',
  'retryJitter',
  'maxRetries',
  'connectTimeout',
  'minUptime',
  'heartbeatInterval',
  'heartbeatMessage',
  'heartbeatReply',
  'heartbeatTimeout',
  'queueLimit',
  'stopCodes',
  'urlProvider',
  'handshake',
  'resume',
] as const satisfies readonly (keyof ConnectionOptions)[];

/**
 * Warns a member that joins a group (or will, once the share chunk is in)
 * about the group options it set otherwise than the member that started the
 * group; returns whether it warned. Outside the share chunk, so that the
 * warning comes when the element connects, not when the chunk arrives.
 */
export function warnAboutGroupOptions(
  member: Readonly<ConnectionOptions>,
  starter: Readonly<ConnectionOptions>,
): boolean {
  const differing = GROUP_OPTIONS.filter((option) => !sameValue(member[option], starter[option]));
  if (differing.length === 0) return false;
  const names = differing.map((option) =>
    option === 'urlProvider' || option === 'handshake' ? option : attributeOf(option),
  );
  console.warn(
    `<ws-connection>: joined a shared connection that keeps its own ${names.join(', ')}; ` +
      'the element that started it set them.',
  );
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  // Functions (urlProvider, handshake) are the same only as the same function; JSON would call any two equal.
  if (typeof a === 'function' || typeof b === 'function') return a === b;
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
