/**
 * The registering entry: importing it defines `<ws-connection>`. Import
 * `ws-connection/element` for the class alone.
 */
import { WsConnection } from './ws-connection-element.js';

export * from './ws-connection-element.js';
export type {
  HeartbeatDetail,
  HeartbeatEvent,
  RetryDetail,
  RetryEvent,
  StatusChangeDetail,
  StatusChangeEvent,
  WsConnectionEventMap,
} from './events.js';
export { WsConnectionError, type ErrorCode } from './core/errors.js';
export type { Status } from './core/status.js';
export type { UrlProvider } from './core/options.js';
export type { Handshake, HandshakeContext } from './core/handshake.js';
export type { SendOptions } from './core/connection.js';
export type { SocketData } from './core/send-queue.js';
export type {
  WsConnectionAttributes,
  WsConnectionEventHandlers,
  WsConnectionEvents,
  WsConnectionProperties,
  WsConnectionTagProps,
} from './element-types.js';

WsConnection.define();
