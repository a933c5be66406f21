/**
 * `ws-connection/react`: `<ws-connection>` as a React component, made by
 * `@lit/react`. Props named like the element's properties are set as
 * properties (so `urlProvider` and `protocols={[…]}` work), and the element's
 * events arrive through `onOpen`, `onMessage`, `onClose`, `onError`,
 * `onRetry`, `onStatusChange` and `onHeartbeat`. Importing it defines the tag.
 *
 * ```tsx
 * <WsConnection url="wss://example.com/live" json onMessage={(event) => show(event.data)} />
 * ```
 *
 * React stays an import of the user's own copy (a peer dependency), never bundled.
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import type { WsConnectionProperties } from './element-types.js';
import type { HeartbeatEvent, RetryEvent, StatusChangeEvent } from './events.js';
import { WsConnection as WsConnectionElement } from './ws-connection.js';

export type {
  HeartbeatDetail,
  HeartbeatEvent,
  RetryDetail,
  RetryEvent,
  StatusChangeDetail,
  StatusChangeEvent,
} from './events.js';
/** The element class, for typing refs: `useRef<WsConnectionElement>(null)`. */
export type { WsConnection as WsConnectionElement } from './ws-connection-element.js';
export type { WsConnectionProperties } from './element-types.js';
export type { Status } from './core/status.js';

/** Handler props for the element's events, each given the element's own event type. */
export interface WsConnectionEventProps {
  /** A socket opened. */
  onOpen?: (event: Event) => void;
  /** A frame arrived; `event.data` is parsed when `json` is set. */
  onMessage?: (event: MessageEvent) => void;
  /** A socket closed (each time): `code`, `reason`, `wasClean`. */
  onClose?: (event: CloseEvent) => void;
  /** Something went wrong; `event.error.code` says what. */
  onError?: (event: ErrorEvent) => void;
  /** A retry is scheduled: `event.detail.attempt`, `event.detail.delay`; `preventDefault()` stops retrying. */
  onRetry?: (event: RetryEvent) => void;
  /** The status changed: `event.detail.status`, `event.detail.previous`. */
  onStatusChange?: (event: StatusChangeEvent) => void;
  /** A heartbeat's reply arrived: `event.detail.rtt`, the round trip in ms. */
  onHeartbeat?: (event: HeartbeatEvent) => void;
}

/**
 * The event props and the events they listen to; `satisfies` ties each
 * event's type to its prop's handler above, so the two cannot disagree.
 */
const events = {
  onOpen: 'open' as EventName,
  onMessage: 'message' as EventName<MessageEvent>,
  onClose: 'close' as EventName<CloseEvent>,
  onError: 'error' as EventName<ErrorEvent>,
  onRetry: 'retry' as EventName<RetryEvent>,
  onStatusChange: 'statuschange' as EventName<StatusChangeEvent>,
  onHeartbeat: 'heartbeat' as EventName<HeartbeatEvent>,
} satisfies { [K in keyof WsConnectionEventProps]-?: EventName<Parameters<NonNullable<WsConnectionEventProps[K]>>[0]> };

/**
 * Props of the React `WsConnection`: React's own HTML props (`id`,
 * `className`, `style`, `children` for the status slots, `ref` to reach
 * `send()`), the element's settable properties and the event props.
 */
export type WsConnectionProps = Omit<
  React.HTMLAttributes<WsConnectionElement>,
  keyof WsConnectionEventProps | keyof WsConnectionProperties
> &
  WsConnectionProperties &
  WsConnectionEventProps &
  React.RefAttributes<WsConnectionElement>;

/**
 * `<ws-connection>` for React. Call `send()`, `connect()`, `close()` and
 * `reconnect()` through a ref; `status` is read from the element or followed
 * with `onStatusChange`.
 */
// @lit/react types the props from every public member of the class, read types included: it would
// accept `status` (a getter only, so setting it throws), `send` or `socket` as props and reject
// `protocols="chat"`, which the setter takes. The cast narrows the props to what can really be set.
export const WsConnection = createComponent({
  tagName: 'ws-connection',
  elementClass: WsConnectionElement,
  react: React,
  events,
  displayName: 'WsConnection',
}) as React.ForwardRefExoticComponent<WsConnectionProps>;
