export { backoffDelay, type BackoffOptions } from './backoff.js';
export { parseCloseCodes, formatCloseCodes, includesCloseCode, type CloseCodeRanges } from './close-codes.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export {
  Connection,
  type ConnectionCallbacks,
  type ConnectionEnvironment,
} from './connection.js';
export { WsConnectionError, type ErrorCode, type WsConnectionErrorOptions } from './errors.js';
export { HeartbeatMonitor, type HeartbeatOptions } from './heartbeat.js';
export { hostNetwork, type NetworkStatus } from './network.js';
export { defaultOptions, type ConnectionOptions, type UrlProvider } from './options.js';
export { SendQueue, type SocketData } from './send-queue.js';
export { resolveSocketUrl } from './socket-url.js';
export type { SocketClose, SocketConstructor, SocketLike, SocketMessage } from './socket-like.js';
export { statuses, type Status } from './status.js';
