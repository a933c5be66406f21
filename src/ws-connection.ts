/**
 * The registering entry: importing it defines `<ws-connection>`. Import
 * `ws-connection/element` for the class alone.
 */
import { WsConnection } from './ws-connection-element.js';

export * from './ws-connection-element.js';
export type { RetryDetail, RetryEvent, StatusChangeDetail, StatusChangeEvent, WsConnectionEventMap } from './events.js';
export { WsConnectionError, type ErrorCode } from './core/errors.js';
export type { Status } from './core/status.js';
export type { UrlProvider } from './core/options.js';
export type {
  WsConnectionAttributes,
  WsConnectionEventHandlers,
  WsConnectionEvents,
  WsConnectionProperties,
  WsConnectionTagProps,
} from './element-types.js';

WsConnection.define();
