import { ReactiveElement } from '@lit/reactive-element';
import { attributeOf, optionByAttribute, parseAttribute, type AttributeOption } from './attribute-options.js';
import { formatCloseCodes } from './core/close-codes.js';
import { Connection, type ConnectionCallbacks, type SendOptions } from './core/connection.js';
import { WsConnectionError } from './core/errors.js';
import type { Handshake } from './core/handshake.js';
import type { SocketData } from './core/send-queue.js';
import { defaultOptions, type ConnectionOptions, type UrlProvider } from './core/options.js';
import type { Status } from './core/status.js';
import type { HeartbeatDetail, RetryDetail, StatusChangeDetail, WsConnectionEventMap } from './events.js';
import { formMessage } from './form-message.js';
import { LoadingLink, shareChunk } from './loading-link.js';
import type { ConnectionLink } from './share/connection-link.js';
import { parseShare, shareKey, type ShareScope } from './share/share-key.js';
import { SocketMessageEvent } from './socket-message-event.js';

/**
 * Holds one live WebSocket and keeps it alive: connects when attached,
 * retries with exponential backoff and jitter, queues sends while offline,
 * detects half-open connections with a heartbeat, and reports everything
 * through DOM events and a reflected `status` attribute.
 *
 * The connection logic lives in the framework-free `Connection`; this
 * element maps attributes to its options, its status to `status`, slots and
 * CSS states, and its callbacks to events. Messages never cause a render.
 *
 * It extends Lit's `ReactiveElement` rather than `LitElement`: its shadow
 * tree is two slots, so it needs no templates, which keeps lit-html (and its
 * Trusted Types policy) out of the bundle.
 *
 * Sending forms: a `<form ws-send>` inside the element (not inside a nested
 * `<ws-connection>`) is sent through it instead of being submitted: on
 * `submit` the element cancels the navigation, sends the form's fields
 * (with `json` an object, a repeated name an array; otherwise
 * URL-encoded text, as `URLSearchParams` writes it) and resets the form. A
 * form it cannot send (a chosen file: `serialize`; or `send()` refused it:
 * `queue-full`, `not-open`, `serialize`) keeps its values and the element
 * fires `error` with the form on `error.data`. A `submit` already cancelled
 * by the page is left alone. `form.submit()` fires no `submit` event, so it
 * bypasses `ws-send`; use `form.requestSubmit()`.
 *
 * @summary A WebSocket that reconnects, queues and detects dead connections.
 *
 * @fires open - A socket opened.
 * @fires message - A frame arrived (`MessageEvent`; `data` parsed when `json`).
 * @fires close - A socket closed, each time (`CloseEvent`).
 * @fires error - Something went wrong (`ErrorEvent`; `error.code` says what), also a `<form ws-send>` that was not sent.
 * @fires retry - A retry is scheduled (`CustomEvent<{ attempt, delay }>`, cancelable).
 * @fires statuschange - The status changed (`CustomEvent<{ status, previous }>`).
 * @fires heartbeat - A heartbeat's reply arrived (`CustomEvent<{ rtt }>`, the round trip in ms).
 *
 * @slot - Always shown.
 * @slot closed - Shown while the status is `closed`.
 * @slot connecting - Shown while the status is `connecting`.
 * @slot open - Shown while the status is `open`.
 * @slot reconnecting - Shown while the status is `reconnecting`.
 * @slot closing - Shown while the status is `closing`.
 * @slot failed - Shown while the status is `failed`.
 *
 * @cssstate closed - The status is `closed`.
 * @cssstate connecting - The status is `connecting`.
 * @cssstate open - The status is `open`.
 * @cssstate reconnecting - The status is `reconnecting`.
 * @cssstate closing - The status is `closing`.
 * @cssstate failed - The status is `failed`.
 *
 * @tagname ws-connection
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class WsConnection extends ReactiveElement {
  /**
   * Registers the element under `tag`. A tag already taken (the module
   * imported twice, or the CDN bundle beside the npm build) is left as is,
   * and where there is no registry (Node) nothing happens.
   */
  static define(
    tag = 'ws-connection',
    registry = globalThis.customElements as CustomElementRegistry | undefined,
  ): void {
    if (registry && !registry.get(tag)) registry.define(tag, this);
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, ...optionByAttribute.keys(), 'share'];
  }

  readonly #callbacks: ConnectionCallbacks = {
    status: (status, previous) => this.#statusChanged(status, previous),
    open: () => this.dispatchEvent(new Event('open')),
    message: (data, message) => this.dispatchEvent(new SocketMessageEvent(data, message)),
    close: (close) => this.dispatchEvent(new CloseEvent('close', close)),
    error: (error) => this.dispatchEvent(new ErrorEvent('error', { message: error.message, error })),
    retry: (attempt, delay) =>
      this.dispatchEvent(new CustomEvent<RetryDetail>('retry', { detail: { attempt, delay }, cancelable: true })),
    heartbeat: (rtt) => this.dispatchEvent(new CustomEvent<HeartbeatDetail>('heartbeat', { detail: { rtt } })),
  };
  /** The element's own options, from its attributes; a shared group may run with its first member's. */
  #options: ConnectionOptions = { ...defaultOptions };
  /** The connection the element owns when not shared; it keeps its queue while the element is shared. */
  readonly #own = new Connection({}, this.#callbacks);
  /** What the element drives: `#own`, or its membership of a shared group. */
  #link: ConnectionLink = this.#own;
  #share: ShareScope | '' = '';

  // Server-side DOM shims may lack attachInternals.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  readonly #internals: ElementInternals | undefined = this.attachInternals?.();
  /**
   * The one slot shown: its name follows the status. Made with the shadow root, never in Node. */
  #statusSlot: HTMLSlotElement | undefined;
  #attached = false;
  #detachTimer: ReturnType<typeof setTimeout> | undefined;
  #resumeOnPageShow = false;

  /**
   * Endpoint; `http(s):` becomes `ws(s):`, relative URLs resolve against the document. Empty: no connection.
   * @attr url
   * @default ""
   */
  get url(): string {
    return this.#options.url;
  }
  set url(value: string) {
    this.#reflect('url', value);
  }

  /**
   * WebSocket subprotocols (attribute: comma or space separated).
   * @attr protocols
   * @default ""
   */
  get protocols(): readonly string[] {
    return this.#options.protocols;
  }
  set protocols(value: string | readonly string[]) {
    this.#reflect('protocols', value);
  }

  /**
   * `blob` or `arraybuffer`, passed to the socket.
   * @attr binary-type
   * @default 'blob'
   */
  get binaryType(): 'blob' | 'arraybuffer' {
    return this.#options.binaryType;
  }
  set binaryType(value: 'blob' | 'arraybuffer') {
    this.#reflect('binaryType', value);
  }

  /**
   * Do not connect when attached; wait for `connect()`.
   * @attr manual
   * @default false
   */
  get manual(): boolean {
    return this.hasAttribute('manual');
  }
  set manual(value: boolean) {
    this.toggleAttribute('manual', value);
  }

  /**
   * Parse text frames as JSON and send non-string values as JSON.
   * @attr json
   * @default false
   */
  get json(): boolean {
    return this.#options.json;
  }
  set json(value: boolean) {
    this.toggleAttribute('json', value);
  }

  /**
   * Keep a session across reconnects with a server that speaks the resume protocol (`ws-connection/server`):
   * every message, both ways, arrives once and in order across drops.
   * @attr resume
   * @default false
   */
  get resume(): boolean {
    return this.#options.resume;
  }
  set resume(value: boolean) {
    this.toggleAttribute('resume', value);
  }

  /** With `resume`: the current session's id, as the server named it; `null` before the first. */
  get session(): string | null {
    return this.#link.session;
  }

  /** With `resume`: whether the open socket continues the session of the socket before it. */
  get resumed(): boolean {
    return this.#link.resumed;
  }

  /**
   * Base delay before the first retry, ms.
   * @attr retry-delay
   * @default 1000
   */
  get retryDelay(): number {
    return this.#options.retryDelay;
  }
  set retryDelay(value: number) {
    this.#reflect('retryDelay', value);
  }

  /**
   * Cap on any retry delay, ms.
   * @attr retry-max-delay
   * @default 30000
   */
  get retryMaxDelay(): number {
    return this.#options.retryMaxDelay;
  }
  set retryMaxDelay(value: number) {
    this.#reflect('retryMaxDelay', value);
  }

  /**
   * Growth of the delay per failed attempt, ≥ 1.
   * @attr retry-factor
   * @default 2
   */
  get retryFactor(): number {
    return this.#options.retryFactor;
  }
  set retryFactor(value: number) {
    this.#reflect('retryFactor', value);
  }

  /**
   * Fraction of each delay that is randomized, 0..1.
   * @attr retry-jitter
   * @default 0.5
   */
  get retryJitter(): number {
    return this.#options.retryJitter;
  }
  set retryJitter(value: number) {
    this.#reflect('retryJitter', value);
  }

  /**
   * Retries allowed after a failure before giving up; `Infinity` when the attribute is absent.
   * @attr max-retries
   * @default Infinity
   */
  get maxRetries(): number {
    return this.#options.maxRetries;
  }
  set maxRetries(value: number) {
    this.#reflect('maxRetries', value === Infinity ? null : value);
  }

  /**
   * An attempt not open by then fails with `timeout`, ms; 0: no timeout.
   * @attr connect-timeout
   * @default 10000
   */
  get connectTimeout(): number {
    return this.#options.connectTimeout;
  }
  set connectTimeout(value: number) {
    this.#reflect('connectTimeout', value);
  }

  /**
   * The attempt count resets only after a connection stayed open this long, ms.
   * @attr min-uptime
   * @default 5000
   */
  get minUptime(): number {
    return this.#options.minUptime;
  }
  set minUptime(value: number) {
    this.#reflect('minUptime', value);
  }

  /**
   * Send `heartbeatMessage` after this long with nothing received, ms; 0: off. Also sent at once, as a
   * probe, when the page becomes visible or resumes, the network comes back, or a timer fires this late.
   * @attr heartbeat-interval
   * @default 0
   */
  get heartbeatInterval(): number {
    return this.#options.heartbeatInterval;
  }
  set heartbeatInterval(value: number) {
    this.#reflect('heartbeatInterval', value);
  }

  /**
   * The heartbeat frame.
   * @attr heartbeat-message
   * @default 'ping'
   */
  get heartbeatMessage(): string {
    return this.#options.heartbeatMessage;
  }
  set heartbeatMessage(value: string) {
    this.#reflect('heartbeatMessage', value);
  }

  /**
   * A text frame equal to this is the heartbeat's answer, not a `message`.
   * @attr heartbeat-reply
   * @default 'pong'
   */
  get heartbeatReply(): string {
    return this.#options.heartbeatReply;
  }
  set heartbeatReply(value: string) {
    this.#reflect('heartbeatReply', value);
  }

  /**
   * Nothing received this long after a heartbeat or a probe: the connection is dead, ms.
   * @attr heartbeat-timeout
   * @default 5000
   */
  get heartbeatTimeout(): number {
    return this.#options.heartbeatTimeout;
  }
  set heartbeatTimeout(value: number) {
    this.#reflect('heartbeatTimeout', value);
  }

  /**
   * Most messages `send()` holds while not open; 0: no queue.
   * @attr queue-limit
   * @default 1000
   */
  get queueLimit(): number {
    return this.#options.queueLimit;
  }
  set queueLimit(value: number) {
    this.#reflect('queueLimit', value);
  }

  /** Server close codes that are final (`"1008 4000-4099"`).
   * @attr stop-codes
   * @default '1002 1003 1007 1008 1009 1010'
   */
  get stopCodes(): string {
    return formatCloseCodes(this.#options.stopCodes);
  }
  set stopCodes(value: string) {
    this.#reflect('stopCodes', value);
  }

  /**
   * Called before every attempt; its URL is used instead of `url` (fresh
   * auth tokens). Setting it does not reconnect by itself.
   */
  get urlProvider(): UrlProvider | null {
    return this.#options.urlProvider;
  }
  set urlProvider(value: UrlProvider | null) {
    this.#configure({ urlProvider: value ?? null });
  }

  /**
   * Runs on every socket after it opens and before the element counts it as
   * open: an application protocol's first exchange (graphql-ws's
   * `connection_init`, an auth frame). Its `context.send()` goes ahead of the
   * queue; `context.receive()` takes the frames that arrive meanwhile. A
   * throw or rejection fails the attempt (`error` with code `handshake`).
   * Setting it does not reconnect by itself.
   * @throws {TypeError} for anything but a function or `null`.
   */
  get handshake(): Handshake | null {
    return this.#options.handshake;
  }
  set handshake(value: Handshake | null) {
    // Set from script, where a throw is seen: a connection that silently skipped the app's init would be worse.
    const given: unknown = value;
    if (given !== null && given !== undefined && typeof given !== 'function') {
      throw new TypeError(`<ws-connection>: handshake must be a function or null, not ${typeof given}.`);
    }
    this.#configure({ handshake: value ?? null });
  }

  /**
   * `page`: the elements of this document with the same share key (resolved URL and protocols) use one
   * connection; `tabs`: those of every tab, window and frame of this origin too. `""`: not shared.
   * @attr share
   * @default ""
   */
  get share(): ShareScope | '' {
    return this.#share;
  }
  set share(value: ShareScope | '') {
    if (value === '') this.removeAttribute('share');
    else this.setAttribute('share', value);
  }

  /**
   * `closed`, `connecting`, `open`, `reconnecting`, `closing` or `failed`. Read-only; the element
   * reflects it to the `status` attribute for CSS.
   * @attr status
   * @reflect
   * @readonly
   * @default 'closed'
   */
  get status(): Status {
    return this.#link.status;
  }

  /** The current `WebSocket`, or `null` (also in a tab that shares another tab's socket). */
  get socket(): WebSocket | null {
    return this.#link.socket as WebSocket | null;
  }

  /** The number of the latest retry in the current run of failures. */
  get attempt(): number {
    return this.#link.attempt;
  }

  /** Messages waiting in the queue (the group's, when shared). */
  get queued(): number {
    return this.#link.queued;
  }

  /** The latest heartbeat's round trip on the current socket, ms; `null` before one was answered. */
  get rtt(): number | null {
    return this.#link.rtt;
  }

  /**
   * Sends now when open (returns `true`), else queues (returns `false`); with `{ queue: false }` a message
   * that cannot go now is dropped instead (returns `false`).
   * @throws {WsConnectionError} code `queue-full`, `not-open` or `serialize`.
   */
  send(data: unknown, options?: SendOptions): boolean {
    return this.#link.send(data, options);
  }

  /** Empties the queue and returns what it held, oldest first, as it would have been written. */
  clearQueue(): SocketData[] {
    return this.#link.clearQueue();
  }

  /** Starts connecting now, attempt count reset. No-op while open or on the first attempt. Shared: joins. */
  connect(): void {
    this.#configure({ baseUrl: this.ownerDocument.baseURI });
    this.#link.connect();
  }

  /** Closes and stops retrying; queued messages are kept for a later `connect()`. Shared: leaves the group. */
  close(code = 1000, reason = ''): void {
    this.#resumeOnPageShow = false;
    this.#link.close(code, reason);
  }

  /** Drops the current socket and connects again now, attempt count reset. Shared: the group's socket. */
  reconnect(): void {
    this.#configure({ baseUrl: this.ownerDocument.baseURI });
    this.#link.reconnect();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#attached = true;
    // Added before the early return below: a move within one task removed it in disconnectedCallback.
    this.addEventListener('submit', this.#onSubmit);
    if (this.#detachTimer !== undefined) {
      // Removed and inserted again within one task (a list re-ordered, a framework re-parenting):
      // the socket stays as it is.
      clearTimeout(this.#detachTimer);
      this.#detachTimer = undefined;
      return;
    }
    if (this.getAttribute('status') !== this.status) this.setAttribute('status', this.status);
    window.addEventListener('pagehide', this.#onPageHide);
    window.addEventListener('pageshow', this.#onPageShow);
    if (!this.manual) this.connect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#attached = false;
    this.removeEventListener('submit', this.#onSubmit);
    this.#detachTimer = setTimeout(() => {
      this.#detachTimer = undefined;
      window.removeEventListener('pagehide', this.#onPageHide);
      window.removeEventListener('pageshow', this.#onPageShow);
      this.close();
    });
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (old === value) return;
    if (name === 'share') {
      this.#share = parseShare(value);
      this.#relink();
      return;
    }
    const option = optionByAttribute.get(name);
    if (option === undefined) return;
    const parsed = parseAttribute(option, value, defaultOptions[option]);
    this.#configure({ [option]: parsed });
    // A URL given to an attached element that is not trying connects it; an active one reconnects by itself.
    const idle = this.status === 'closed' || this.status === 'failed';
    if (option === 'url' && this.#attached && !this.manual && idle) this.connect();
  }

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot();
    this.#statusSlot = document.createElement('slot');
    this.#statusSlot.name = this.status;
    root.append(this.#statusSlot, document.createElement('slot'));
    return root;
  }

  /**
   * Takes option changes: the element's own connection always has them (it
   * is idle while shared); a membership keeps them for `json` and the
   * joining warning. A new URL, protocols or base may mean another group.
   */
  #configure(changes: Partial<ConnectionOptions>): void {
    this.#options = { ...this.#options, ...changes };
    this.#own.configure(changes);
    if (this.#link !== this.#own) this.#link.configure(changes);
    if (changes.url !== undefined || changes.protocols !== undefined || changes.baseUrl !== undefined) this.#relink();
  }

  /**
   * Moves the element to the connection its `share`, URL and protocols call
   * for: it leaves the old one (a group, or its own socket) and, if it was
   * active, joins or connects the new one at once. Until the share chunk is
   * in, a shared element drives a `LoadingLink`, which calls this again when
   * it arrives.
   */
  #relink(): void {
    const { url, protocols, baseUrl } = this.#options;
    const scope = this.#share;
    const key = scope === '' ? undefined : shareKey(scope, url, protocols, baseUrl);
    const link = this.#link;
    const share = shareChunk.current;
    const arrived = share !== undefined && link instanceof LoadingLink && link.key === key;
    if (key === link.key && !arrived) return;
    const active = link.status === 'connecting' || link.status === 'open' || link.status === 'reconnecting';
    let callbacks = this.#callbacks;
    if (arrived) callbacks = link.handOver(callbacks);
    else if (link !== this.#own) link.close();
    // Its own socket's closing handshake would end after the element reported the group's status.
    else if (active) this.#own.closeNow();
    let next: ConnectionLink = this.#own;
    if (key !== undefined && share) {
      const member = new share.SharedLink(
        key,
        this.#options,
        callbacks,
        share.sharedGroups(scope as ShareScope).lookup,
      );
      // What waited in the element's own queue goes with it; what a group holds is the group's to send.
      this.#own.handOverQueue((payload) => member.sendPayload(payload));
      next = member;
    } else if (key !== undefined) {
      next = new LoadingLink(key, this.#options, this.#callbacks, this.#own, () => this.#relink());
    }
    this.#link = next;
    if (active) this.#link.connect();
  }

  #reflect(option: AttributeOption, value: string | number | readonly string[] | null | undefined): void {
    const name = attributeOf(option);
    if (value === null || value === undefined) this.removeAttribute(name);
    else if (Array.isArray(value)) this.setAttribute(name, value.join(' '));
    else this.setAttribute(name, String(value));
  }

  #statusChanged(status: Status, previous: Status): void {
    this.setAttribute('status', status);
    const states = this.#internals?.states;
    if (states) {
      try {
        states.delete(previous);
        states.add(status);
      } catch {
        // Chromium before 125 accepted only `--dashed` custom states and throws on plain names.
      }
    }
    // Swapped at once, not in a later render, so the slot shown always matches `status`.
    if (this.#statusSlot) this.#statusSlot.name = status;
    this.dispatchEvent(new CustomEvent<StatusChangeDetail>('statuschange', { detail: { status, previous } }));
  }

  // Heard on the element as `submit` bubbles, so the page's own listeners on the form run first and
  // can take the form over by cancelling it.
  #onSubmit = (event: SubmitEvent): void => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !form.hasAttribute('ws-send')) return;
    // A form inside a nested element belongs to that one.
    if (form.parentElement?.closest(this.localName) !== this) return;
    event.preventDefault();
    try {
      this.send(formMessage(form, event.submitter, this.json));
    } catch (error) {
      if (!(error instanceof WsConnectionError)) throw error;
      // No caller can catch what a submit throws: report it, and keep what the user typed.
      const reported =
        error.data === form ? error : new WsConnectionError(error.code, error.message, { cause: error, data: form });
      this.dispatchEvent(new ErrorEvent('error', { message: reported.message, error: reported }));
      return;
    }
    form.reset();
  };

  // A page going into the back/forward cache must not hold a socket the server thinks is live.
  #onPageHide = (): void => {
    if (this.status === 'closed' || this.status === 'failed') return;
    this.#link.close(1000);
    this.#resumeOnPageShow = true;
  };

  #onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted || !this.#resumeOnPageShow) return;
    this.#resumeOnPageShow = false;
    this.connect();
  };
}

// Typed listeners for the element's own events, merged into the class as WebSocket's lib types do.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface WsConnection {
  addEventListener<K extends keyof WsConnectionEventMap>(
    type: K,
    listener: (this: WsConnection, event: WsConnectionEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof WsConnectionEventMap>(
    type: K,
    listener: (this: WsConnection, event: WsConnectionEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'ws-connection': WsConnection;
  }
}
