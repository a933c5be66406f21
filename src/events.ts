import type { Status } from './core/status.js';

export interface RetryDetail {
  /** The number of this retry in the current run of failures, from 1. */
  readonly attempt: number;
  /** The actual wait before it, ms, jitter applied. */
  readonly delay: number;
}

export interface StatusChangeDetail {
  readonly status: Status;
  readonly previous: Status;
}

export interface HeartbeatDetail {
  /** The round trip from the heartbeat to its reply, ms. */
  readonly rtt: number;
}

/** Cancelable: `preventDefault()` stops retrying and the status becomes `closed`. */
export type RetryEvent = CustomEvent<RetryDetail>;
export type StatusChangeEvent = CustomEvent<StatusChangeDetail>;
export type HeartbeatEvent = CustomEvent<HeartbeatDetail>;

/** The events of `<ws-connection>`, for typed `addEventListener`. */
export interface WsConnectionEventMap extends HTMLElementEventMap {
  open: Event;
  message: MessageEvent;
  close: CloseEvent;
  error: ErrorEvent;
  retry: RetryEvent;
  statuschange: StatusChangeEvent;
  heartbeat: HeartbeatEvent;
}
