// @ts-check
/**
 * The demo page's script: plain DOM, no framework. Everything the page shows
 * comes from the element's public API (attributes, events, methods), and all
 * text from the network goes in with textContent only.
 */

/**
 * The parts of `<ws-connection>` the page uses, per the contract.
 * @typedef {HTMLElement & {
 *   status?: string,
 *   attempt?: number,
 *   queued?: number,
 *   socket?: WebSocket | null,
 *   send(data: unknown): boolean,
 *   connect(): void,
 *   close(code?: number, reason?: string): void,
 *   reconnect(): void,
 * }} WsConnection
 */

const MAX_LOG = 200;
const MAX_MESSAGES = 200;
const NAME_KEY = 'ws-connection-demo:name';

/**
 * @template {Element} T
 * @param {string} selector
 * @param {new () => T} type
 * @returns {T}
 */
function $(selector, type) {
  const found = document.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`The page has no ${selector}.`);
  return found;
}

const conn = /** @type {WsConnection} */ (document.getElementById('conn'));
const endpoint = $('#endpoint', HTMLElement);
const messages = $('#messages', HTMLOListElement);
const messagesEmpty = $('#messages-empty', HTMLElement);
const form = $('#chat-form', HTMLFormElement);
const nameInput = $('#name', HTMLInputElement);
const messageInput = $('#message', HTMLInputElement);
const sendNote = $('#send-note', HTMLElement);
const statusText = $('#status-text', HTMLOutputElement);
const countdown = $('#countdown', HTMLOutputElement);
const attemptOut = $('#attempt', HTMLOutputElement);
const queuedOut = $('#queued', HTMLOutputElement);
const log = $('#log', HTMLOListElement);
const missing = $('#missing', HTMLElement);

// ---------------------------------------------------------------------------
// Where to connect: the page's own server, or `?server=http://127.0.0.1:PORT`
// (how the browser test points a page served elsewhere at the demo server).

/** @returns {string | undefined} the origin named by `?server=`, when valid */
function serverOrigin() {
  const param = new URLSearchParams(location.search).get('server');
  if (!param) return undefined;
  try {
    const url = new URL(param);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // reported below
  }
  addLog('error', `Ignoring ?server=${param}: not an http(s) URL.`);
  return undefined;
}

const server = serverOrigin();
/** Relative by default: the element resolves it against the page and turns http(s) into ws(s). */
const socketUrl = server ? new URL('/s/chat', server).href : '/s/chat';
/** @param {string} name */
const controlUrl = (name) => new URL(`/control/${name}`, server ?? location.href).href;

// ---------------------------------------------------------------------------
// Event log

/** @param {number} [ms] */
function clock(ms = Date.now()) {
  return new Date(ms).toLocaleTimeString(undefined, { hour12: false });
}

/**
 * @param {string} type
 * @param {string} text
 * @param {Record<string, string | number>} [data] added as data-* attributes, for tests and styling
 */
function addLog(type, text, data = {}) {
  const item = document.createElement('li');
  item.dataset.event = type;
  for (const [key, value] of Object.entries(data)) item.dataset[key] = String(value);
  const time = document.createElement('time');
  time.textContent = clock();
  const tag = document.createElement('span');
  tag.className = 'tag';
  tag.textContent = type;
  const body = document.createElement('span');
  body.className = 'text';
  body.textContent = text;
  item.append(time, tag, body);
  log.prepend(item);
  while (log.children.length > MAX_LOG) log.lastElementChild?.remove();
}

$('#clear-log', HTMLButtonElement).addEventListener('click', () => log.replaceChildren());

// ---------------------------------------------------------------------------
// Status, attempt, queue and the retry countdown

/** @type {{ at: number, attempt: number } | undefined} when the waiting retry runs */
let nextRetry;
/** @type {ReturnType<typeof setInterval> | undefined} */
let ticker;

function currentStatus() {
  return conn.status ?? conn.getAttribute('status') ?? 'closed';
}

/** Whether the last message went into the queue, so the page says so until it is flushed. */
let waitingForQueue = false;

function renderStats() {
  const status = currentStatus();
  const queued = conn.queued ?? 0;
  if (waitingForQueue && queued === 0) waitingForQueue = false;
  if (waitingForQueue) sendNote.textContent = `Not connected: ${queued} queued, sent once it reconnects.`;
  else if (sendNote.dataset.kind === 'queued') sendNote.textContent = '';
  sendNote.dataset.kind = waitingForQueue ? 'queued' : '';
  statusText.value = status;
  statusText.dataset.status = status;
  attemptOut.value = String(conn.attempt ?? 0);
  queuedOut.value = String(queued);
  if (nextRetry) {
    const left = nextRetry.at - performance.now();
    countdown.value =
      left > 0 ? `${(left / 1000).toFixed(1)} s (attempt ${nextRetry.attempt})` : `now (attempt ${nextRetry.attempt})`;
    countdown.dataset.active = '';
  } else {
    countdown.value = '—';
    delete countdown.dataset.active;
  }
  for (const button of document.querySelectorAll('button[data-method]')) {
    const method = /** @type {HTMLButtonElement} */ (button).dataset.method;
    /** @type {HTMLButtonElement} */ (button).disabled =
      !customElements.get('ws-connection') ||
      (method === 'connect' && (status === 'open' || status === 'connecting')) ||
      (method === 'close' && (status === 'closed' || status === 'closing'));
  }
}

/** @param {{ at: number, attempt: number } | undefined} retry */
function setNextRetry(retry) {
  nextRetry = retry;
  if (retry && ticker === undefined) ticker = setInterval(renderStats, 100);
  if (!retry && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  }
  renderStats();
}

// ---------------------------------------------------------------------------
// The element's events

conn.addEventListener('open', () => {
  addLog('open', `Connected to ${conn.socket?.url ?? socketUrl}`);
  renderStats();
});

conn.addEventListener('close', (event) => {
  const { code, reason, wasClean } = /** @type {CloseEvent} */ (event);
  addLog('close', `Code ${code}${reason ? ` “${reason}”` : ''}, ${wasClean ? 'clean' : 'not clean'}`, { code });
  renderStats();
});

conn.addEventListener('error', (event) => {
  const { message, error } = /** @type {ErrorEvent} */ (event);
  const cause = /** @type {{ code?: unknown, data?: unknown } | undefined} */ (error);
  const code = String(cause?.code ?? 'unknown');
  addLog('error', `${code}${message ? `: ${message}` : ''}`, { code });
  // The element could not send the chat form (queue full, say): it kept what was typed.
  if (cause?.data === form) {
    waitingForQueue = false;
    sendNote.textContent = `Not sent (${code}): your message is still in the box.`;
  }
  renderStats();
});

conn.addEventListener('retry', (event) => {
  const { attempt, delay } = /** @type {CustomEvent<{ attempt: number, delay: number }>} */ (event).detail;
  addLog('retry', `Attempt ${attempt} in ${Math.round(delay)} ms`, { attempt, delay: Math.round(delay) });
  setNextRetry({ at: performance.now() + delay, attempt });
});

conn.addEventListener('statuschange', (event) => {
  const { status, previous } = /** @type {CustomEvent<{ status: string, previous: string }>} */ (event).detail;
  addLog('statuschange', `${previous} → ${status}`, { status, previous });
  if (status !== 'reconnecting') setNextRetry(undefined);
  else renderStats();
});

conn.addEventListener('message', (event) => {
  const data = /** @type {MessageEvent} */ (event).data;
  if (data && typeof data === 'object' && data.type === 'chat') addMessage(data);
  else if (data && typeof data === 'object' && data.type === 'error') addLog('server', String(data.message));
  else addLog('message', typeof data === 'string' ? data : JSON.stringify(data));
  renderStats();
});

// ---------------------------------------------------------------------------
// Chat

/** @param {string} key @param {string} [value] */
function storage(key, value) {
  try {
    if (value === undefined) return localStorage.getItem(key) ?? undefined;
    localStorage.setItem(key, value);
  } catch {
    // Storage can be off (private modes, sandboxed frames): the name just is not remembered.
  }
  return undefined;
}

// The default value, not just the value: the element resets the form after each message.
nameInput.defaultValue = storage(NAME_KEY) ?? `Guest ${Math.floor(1000 + Math.random() * 9000)}`;

/** @param {{ name?: unknown, text?: unknown, at?: unknown }} chat */
function addMessage(chat) {
  const name = String(chat.name ?? 'anonymous');
  const item = document.createElement('li');
  item.className = 'message';
  if (name === nameInput.value.trim()) item.dataset.own = '';
  const meta = document.createElement('div');
  meta.className = 'meta';
  const who = document.createElement('strong');
  who.textContent = name;
  const when = document.createElement('time');
  const at = typeof chat.at === 'number' ? chat.at : Date.now();
  when.dateTime = new Date(at).toISOString();
  when.textContent = clock(at);
  meta.append(who, when);
  const text = document.createElement('p');
  text.className = 'text';
  text.textContent = String(chat.text ?? '');
  item.append(meta, text);
  const atBottom = messages.scrollTop + messages.clientHeight >= messages.scrollHeight - 8;
  messages.append(item);
  while (messages.children.length > MAX_MESSAGES) messages.firstElementChild?.remove();
  messagesEmpty.hidden = true;
  if (atBottom) messages.scrollTop = messages.scrollHeight;
}

// The element sends the form itself (`ws-send` on the form): `{type: 'chat', name, text}`, then resets it.
// The page listens only to keep the name across that reset and to say what happened.
form.addEventListener('submit', (event) => {
  // Without the element nothing would take the submit over, and the browser would navigate away.
  if (!customElements.get('ws-connection')) {
    event.preventDefault();
    return;
  }
  // A reset goes back to each field's default value: make the name its own default.
  nameInput.defaultValue = nameInput.value.trim() || 'anonymous';
  storage(NAME_KEY, nameInput.defaultValue);
});

// The element resets the form only once the message was sent or queued.
form.addEventListener('reset', () => {
  waitingForQueue = (conn.queued ?? 0) > 0;
  sendNote.textContent = '';
  messageInput.focus();
  renderStats();
});

// ---------------------------------------------------------------------------
// Buttons: the element's methods, and the server's fault controls

for (const button of document.querySelectorAll('button[data-method]')) {
  button.addEventListener('click', () => {
    const method = /** @type {'connect' | 'close' | 'reconnect'} */ (
      /** @type {HTMLElement} */ (button).dataset.method
    );
    addLog('action', `${method}()`);
    try {
      conn[method]();
    } catch (error) {
      addLog('error', `${method}() threw ${String(error)}`);
    }
    renderStats();
  });
}

for (const button of document.querySelectorAll('button[data-control]')) {
  const control = /** @type {HTMLButtonElement} */ (button);
  control.addEventListener('click', async () => {
    const name = control.dataset.control ?? '';
    control.disabled = true;
    try {
      const response = await fetch(controlUrl(name), { method: 'POST', mode: 'cors', cache: 'no-store' });
      addLog('server', `${name}: HTTP ${response.status}`, { control: name, httpStatus: response.status });
    } catch (error) {
      addLog('error', `${name}: ${String(error)}`, { control: name });
    } finally {
      control.disabled = false;
    }
  });
}

// ---------------------------------------------------------------------------
// Start

endpoint.textContent = server ? socketUrl : new URL(socketUrl, document.baseURI).href.replace(/^http/, 'ws');
if (!customElements.get('ws-connection')) missing.hidden = false;
customElements.whenDefined('ws-connection').then(() => {
  missing.hidden = true;
  renderStats();
});
// Set last, with the listeners in place, so the first statuschange is logged. An attribute (not
// the property) works whether or not the element is defined yet.
conn.setAttribute('url', socketUrl);
renderStats();
// The attempt count resets quietly after min-uptime: refresh now and then, not only on events.
setInterval(renderStats, 1000);
