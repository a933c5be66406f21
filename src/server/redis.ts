/**
 * `ws-connection/server/redis`: a `SessionStore` on Redis, for a fleet of
 * server processes behind a load balancer without sticky sessions. See
 * docs/fleet.md.
 */
export { RedisSessionStore, type RedisClientLike, type RedisSessionStoreOptions } from './redis-session-store.js';
