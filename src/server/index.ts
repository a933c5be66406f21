/**
 * `ws-connection/server`: the server side of `<ws-connection resume>` for
 * Node servers built on the `ws` package. See docs/server.md.
 */
export { closeCodes } from './close-codes.js';
export { MemorySessionStore } from './memory-session-store.js';
export { SessionServer, type SessionServerEvents, type SessionServerOptions } from './session-server.js';
export type { SessionRecord, SessionStore, StoredFrame } from './session-store.js';
export { ServerSession, type EndReason, type ServerSessionEvents } from './session.js';
