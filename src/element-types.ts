/**
 * Framework-neutral types for using `<ws-connection>` as a plain tag: its
 * attributes, its settable properties and its own events. The React, Vue,
 * Preact, Solid and Svelte typings are all built from these, so each
 * attribute is described once. Types only: this module emits no code.
 */
import type { AttributeOption } from './attribute-options.js';
import type { WsConnectionEventMap } from './events.js';
import type { WsConnection } from './ws-connection-element.js';

/**
 * A number written as an attribute. Frameworks stringify numbers they set as
 * attributes, so `"500"` type-checks, while `"1s"` (which the element would
 * warn about and ignore) does not, wherever the tag's props are typed from
 * `WsConnectionAttributes`: checked with TypeScript 5.9 for React 19's plain
 * tag (`ws-connection/jsx`) and README's Preact and Solid declarations.
 * TypeScript never checks a hyphenated JSX attribute that the props type does
 * not declare, though. So on the React wrapper (`ws-connection/react`), whose
 * props are the element's properties, `retry-delay="1s"` compiles, as it
 * would on a `<div>`: write the typed property `retryDelay={1000}` there.
 */
export type NumberAttribute = number | `${number}`;

/**
 * The element's attributes, as written in markup, all optional. `status` is
 * absent: the element reflects it and overwrites anything set from outside.
 */
export type WsConnectionAttributes = ExactlyTheAttributes<AttributeValues>;

interface AttributeValues {
  /** Endpoint: `ws:`/`wss:`, `http(s):` (mapped to `ws(s):`) or relative. Empty: no connection. */
  url: string;
  /** WebSocket subprotocols, comma or space separated. */
  protocols: string;
  /** Passed to the socket. Default `blob`. */
  'binary-type': 'blob' | 'arraybuffer';
  /** Do not connect when attached; wait for `connect()`. */
  manual: boolean;
  /** Parse text frames as JSON and send non-string values as JSON. */
  json: boolean;
  /** Keep a session across reconnects with a server that speaks the resume protocol. */
  resume: boolean;
  /** Base delay before the first retry, ms. Default 1000. */
  'retry-delay': NumberAttribute;
  /** Cap on any retry delay, ms. Default 30000. */
  'retry-max-delay': NumberAttribute;
  /** Growth of the delay per failed attempt, ≥ 1. Default 2. */
  'retry-factor': NumberAttribute;
  /** Fraction of each delay that is randomized, 0..1. Default 0.5. */
  'retry-jitter': NumberAttribute;
  /** Retries allowed after a failure before giving up. Default: no limit. */
  'max-retries': NumberAttribute;
  /** An attempt not open by then fails with `timeout`, ms; 0: none. Default 10000. */
  'connect-timeout': NumberAttribute;
  /** The attempt count resets only after a connection stayed open this long, ms. Default 5000. */
  'min-uptime': NumberAttribute;
  /** Send `heartbeat-message` after this long with nothing received, ms; 0: off (default). */
  'heartbeat-interval': NumberAttribute;
  /** The heartbeat frame. Default `ping`. */
  'heartbeat-message': string;
  /** A text frame equal to this answers the heartbeat and is not a `message`. Default `pong`. */
  'heartbeat-reply': string;
  /** Nothing received this long after a heartbeat: the connection is dead, ms. Default 5000. */
  'heartbeat-timeout': NumberAttribute;
  /** Most messages `send()` holds while not open; 0: no queue. Default 1000. */
  'queue-limit': NumberAttribute;
  /** Server close codes that are final, codes and ranges: `"1008 4000-4099"`. */
  'stop-codes': string;
}

/** The element's settable properties: every attribute's camelCase twin plus `urlProvider` and `handshake`. */
export type WsConnectionProperties = Partial<Pick<WsConnection, Exclude<SettableProperty, 'protocols'>>> & {
  // The getter returns the parsed list, but the setter also takes the attribute's string form.
  protocols?: string | readonly string[];
};

type SettableProperty = AttributeOption | 'manual' | 'urlProvider' | 'handshake';

export type WsConnectionEventName = 'open' | 'message' | 'close' | 'error' | 'retry' | 'statuschange' | 'heartbeat';

/** The events the element itself dispatches (`WsConnectionEventMap` less the inherited ones). */
export type WsConnectionEvents = Pick<WsConnectionEventMap, WsConnectionEventName>;

/**
 * Listener props named `on` + the event name exactly as dispatched
 * (`onstatuschange`): the one form that React 19, Preact 10 and 11, Solid and
 * Svelte 5 all turn into `addEventListener('statuschange')` on a custom element.
 */
export type WsConnectionEventHandlers = {
  [K in WsConnectionEventName as `on${K}`]?: (event: WsConnectionEvents[K]) => void;
};

/**
 * Everything the plain tag takes in frameworks that set a prop as a property
 * when the element has one and as an attribute otherwise, and turn `on<event>`
 * into a listener for exactly `<event>`: React 19, Preact, Solid and Svelte 5.
 */
export type WsConnectionTagProps =
  // `url`, `protocols`, `manual` and `json` are both: the property's type wins, being the wider.
  Omit<WsConnectionAttributes, keyof WsConnectionProperties> & WsConnectionProperties & WsConnectionEventHandlers;

/** `retryDelay` → `retry-delay`, as the element derives its attribute names. */
type Kebab<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `-${Lowercase<Head>}`}${Kebab<Tail>}`
  : S;

type AttributeName = Kebab<AttributeOption> | 'manual';

/**
 * Guards against drift: fails to compile when `T` lacks an attribute the
 * element reads (an option added without its attribute type) or has one it
 * does not read.
 */
type ExactlyTheAttributes<T extends Record<AttributeName, unknown> & Record<Exclude<keyof T, AttributeName>, never>> =
  Partial<T>;
