import { randomBytes } from 'node:crypto';

/** 18 random bytes: 144 bits, above the contract's 128, and 24 base64url characters with no padding. */
const ID_BYTES = 18;

/** A new session id: unguessable, since it is the session's only secret. */
export function newSessionId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}
