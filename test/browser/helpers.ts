import { executeServerCommand } from '@web/test-runner-commands';
import type { WsConnection } from '../../src/ws-connection.js';
import '../../src/ws-connection.js';

/** Drives the fault server (test/server/fault-server.js) for one scope. */
export function server<T = unknown>(scope: string, action: string, options: Record<string, unknown> = {}): Promise<T> {
  return executeServerCommand<T, Record<string, unknown>>('ws-server', { scope, action, ...options });
}

export interface ServerStats {
  open: number;
  handshakes: number;
  accepted: number;
  requests: { url: string; protocol: string }[];
  /** Each ended connection's close code as the server saw it (1006: no close frame). */
  closeCodes: number[];
}

export interface ReceivedFrame {
  data: string;
  binary: boolean;
}

let scopes = 0;
const created: { element: WsConnection; scope: string }[] = [];

/** A scope name no other test uses, so faults stay within one test. */
export function newScope(name: string): string {
  return `${name}-${Date.now().toString(36)}-${++scopes}`;
}

/**
 * A `<ws-connection>` pointed at a fresh scope of the fault server, with the
 * given attributes, attached to the document unless `attach` is false.
 * Every element made here is closed and removed after each test.
 */
export async function connection(
  attributes: Record<string, string | true> = {},
  { attach = true, name = 'test' } = {},
): Promise<{ element: WsConnection; scope: string; url: string }> {
  const scope = newScope(name);
  const url = await server<string>(scope, 'url');
  const element = document.createElement('ws-connection');
  element.setAttribute('url', url);
  for (const [attribute, value] of Object.entries(attributes)) {
    element.setAttribute(attribute, value === true ? '' : value);
  }
  created.push({ element, scope });
  if (attach) document.body.append(element);
  return { element, scope, url };
}

afterEach(async () => {
  for (const { element, scope } of created.splice(0)) {
    element.close();
    element.remove();
    await server(scope, 'reset');
  }
});

/** Records every event of the given types, in order. */
export function record<E extends Event = Event>(target: EventTarget, ...types: string[]): E[] {
  const events: E[] = [];
  for (const type of types) target.addEventListener(type, (event) => events.push(event as E));
  return events;
}

/** Resolves with the next event of `type` on `target` that satisfies `accept`. */
export function nextEvent<E extends Event = Event>(
  target: EventTarget,
  type: string,
  accept: (event: E) => boolean = () => true,
): Promise<E> {
  return new Promise((resolve) => {
    const listener = (event: Event): void => {
      if (!accept(event as E)) return;
      target.removeEventListener(type, listener);
      resolve(event as E);
    };
    target.addEventListener(type, listener);
  });
}

/** Resolves once `element.status` is `status` (at once when it already is). */
export function statusBecomes(element: WsConnection, status: string): Promise<void> {
  if (element.status === status) return Promise.resolve();
  return nextEvent<CustomEvent<{ status: string }>>(
    element,
    'statuschange',
    (event) => event.detail.status === status,
  ).then(() => undefined);
}

/** Collects `console.warn` calls while `run` executes. */
export async function warningsDuring(run: () => unknown): Promise<string[]> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  try {
    await run();
  } finally {
    console.warn = original;
  }
  return warnings;
}

/** The text of what the element's status slot shows (the named slot that follows the status). */
export function shownSlotText(element: WsConnection): string {
  const slot = element.shadowRoot!.querySelector<HTMLSlotElement>('slot[name]')!;
  return slot
    .assignedElements()
    .map((node) => node.textContent)
    .join('');
}

/** Loads a fixture page in an iframe (same origin, so the test can reach in) and waits for the element. */
export async function loadFixture(
  path: string,
): Promise<{ frame: HTMLIFrameElement; element: WsConnection; violations: string[] }> {
  const frame = document.createElement('iframe');
  const loaded = nextEvent(frame, 'load');
  frame.src = path;
  document.body.append(frame);
  await loaded;
  const frameWindow = frame.contentWindow as Window & typeof globalThis;
  const violations: string[] = [];
  frame.contentDocument!.addEventListener('securitypolicyviolation', (event) =>
    violations.push(`${event.violatedDirective} ${event.blockedURI}`),
  );
  await frameWindow.customElements.whenDefined('ws-connection');
  const element = frame.contentDocument!.querySelector('ws-connection')!;
  return { frame, element, violations };
}
