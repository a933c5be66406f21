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
 *   resume?: boolean,
 *   session?: string | null,
 *   resumed?: boolean,
 *   send(data: unknown): boolean,
 *   connect(): void,
 *   close(code?: number, reason?: string): void,
 *   reconnect(): void,
 * }} WsConnection
 */

const MAX_LOG = 200;
const MAX_MESSAGES = 200;
const NAME_KEY = 'ws-connection-demo:name';
/** How many numbered messages the burst button sends, how many per tick, and how often. */
const BURST_SIZE = 200;
const BURST_STEP = 5;
const BURST_TICK_MS = 10;
/**
 * The fault is asked for after this many, while sending goes on, so it lands with messages and echoes in
 * flight; the last quarter waits for the server's answer, so it lands before the burst ends however slow
 * the request is.
 */
const BURST_FAULT_AT = BURST_SIZE / 2;
const BURST_WAIT_AT = (BURST_SIZE * 3) / 4;
/** A burst is over once the element is open with nothing unacknowledged and no echo came for this long. */
const BURST_SETTLE_MS = 1000;

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
const sessionOut = $('#session', HTMLOutputElement);
const resumedOut = $('#resumed', HTMLOutputElement);
const resumeSwitch = $('#resume', HTMLInputElement);
const sentOut = $('#sent-count', HTMLOutputElement);
const ackedOut = $('#acked-count', HTMLOutputElement);
const receivedOut = $('#received-count', HTMLOutputElement);
const burstButton = $('#burst', HTMLButtonElement);
const burstFault = $('#burst-fault', HTMLSelectElement);
const burstEchoed = $('#burst-echoed', HTMLOutputElement);
const burstLost = $('#burst-lost', HTMLOutputElement);
const burstDuplicated = $('#burst-duplicated', HTMLOutputElement);
const burstNote = $('#burst-note', HTMLElement);
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
/** The same room, where the server speaks the resume protocol (a SessionServer). */
const resumeUrl = server ? new URL('/s/chat?resume', server).href : '/s/chat?resume';
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

/** Messages the page sent (chat and burst) and messages it received, since load or the last switch. */
const counts = { sent: 0, received: 0 };

/** Whether the latest open continued the session before it; `undefined` before an open with resume. */
/** @type {boolean | undefined} */
let lastOpenResumed;

/**
 * The burst in progress or last sent: numbered messages the server echoes to this page alone.
 * @type {{
 *   id: string,
 *   sent: number,
 *   seen: Set<number>,
 *   duplicated: number,
 *   sending: boolean,
 *   lastChange: number,
 *   settled: boolean,
 * } | undefined}
 */
let burst;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let settleTimer;

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
  sessionOut.value = conn.session ? shortSession(conn.session) : '—';
  resumedOut.value = lastOpenResumed === undefined ? '—' : lastOpenResumed ? 'yes' : 'no';
  resumedOut.dataset.resumed = String(lastOpenResumed ?? '');
  // With resume, `queued` is everything the server has not acknowledged; without, what waits for a socket.
  sentOut.value = String(counts.sent);
  ackedOut.value = String(Math.max(0, counts.sent - queued));
  receivedOut.value = String(counts.received);
  renderBurst(status, queued);
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

/** A session id is the session's only secret: the page shows just enough of it to tell sessions apart. */
/** @param {string} id */
function shortSession(id) {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

conn.addEventListener('open', () => {
  let text = `Connected to ${conn.socket?.url ?? socketUrl}`;
  if (conn.resume) {
    lastOpenResumed = conn.resumed === true;
    const session = conn.session ? shortSession(conn.session) : '?';
    text += lastOpenResumed ? `, session ${session} resumed` : `, new session ${session}`;
  } else {
    lastOpenResumed = undefined;
  }
  addLog('open', text, { resumed: String(lastOpenResumed ?? '') });
  if (burst) burst.lastChange = performance.now();
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
  let text = `${code}${message ? `: ${message}` : ''}`;
  if (code === 'session-lost') {
    // The server forgot the session (restarted, expired, overflowed): what it had not acknowledged goes again.
    const lost = /** @type {{ previous?: unknown, unacknowledged?: unknown } | undefined} */ (cause?.data);
    const previous = typeof lost?.previous === 'string' ? shortSession(lost.previous) : '?';
    text = `session-lost: the server forgot session ${previous}; ${String(lost?.unacknowledged ?? 0)} unacknowledged message(s) go again in a new one`;
  } else if (code === 'protocol') {
    text = `protocol: ${message || 'the server broke the resume protocol'}; resuming on a new socket`;
  }
  addLog('error', text, { code });
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
  counts.received++;
  if (data && typeof data === 'object' && data.type === 'echo') onEcho(data);
  else if (data && typeof data === 'object' && data.type === 'chat') addMessage(data);
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
  counts.sent++;
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

/** Asks the server for a fault (kill, refuse, silent) on every chat socket, and logs its answer. */
/** @param {string} name */
async function runControl(name) {
  try {
    const response = await fetch(controlUrl(name), { method: 'POST', mode: 'cors', cache: 'no-store' });
    addLog('server', `${name}: HTTP ${response.status}`, { control: name, httpStatus: response.status });
  } catch (error) {
    addLog('error', `${name}: ${String(error)}`, { control: name });
  }
}

for (const button of document.querySelectorAll('button[data-control]')) {
  const control = /** @type {HTMLButtonElement} */ (button);
  control.addEventListener('click', async () => {
    control.disabled = true;
    try {
      await runControl(control.dataset.control ?? '');
    } finally {
      control.disabled = false;
    }
  });
}

// ---------------------------------------------------------------------------
// Resume: the switch, the counts, and the burst that shows what a drop loses

/** @param {boolean} on */
function setResume(on) {
  // The attribute first, then the URL: the URL change reconnects, and the new socket speaks the protocol.
  conn.toggleAttribute('resume', on);
  conn.setAttribute('url', on ? resumeUrl : socketUrl);
  counts.sent = 0;
  counts.received = 0;
  lastOpenResumed = undefined;
  burst = undefined;
  showEndpoint();
  addLog('action', on ? 'resume on: reconnecting to /s/chat?resume' : 'resume off: reconnecting to /s/chat');
  renderStats();
}

resumeSwitch.addEventListener('change', () => setResume(resumeSwitch.checked));

/** @param {{ burst?: unknown, n?: unknown }} echo */
function onEcho(echo) {
  if (!burst || echo.burst !== burst.id || typeof echo.n !== 'number') return;
  if (burst.seen.has(echo.n)) burst.duplicated++;
  else burst.seen.add(echo.n);
  burst.lastChange = performance.now();
}

function startBurst() {
  const fault = burstFault.value;
  burst = {
    id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    sent: 0,
    seen: new Set(),
    duplicated: 0,
    sending: true,
    lastChange: performance.now(),
    settled: false,
  };
  const current = burst;
  addLog('action', `burst of ${BURST_SIZE}${fault ? `, ${fault} after ${BURST_FAULT_AT}` : ''}`);
  void sendBurst(current, fault);
}

/**
 * Sends the burst a few messages at a time, over a few hundred ms.
 * @param {NonNullable<typeof burst>} current
 * @param {string} fault a control name, or '' for none
 */
async function sendBurst(current, fault) {
  /** @type {Promise<void> | undefined} */
  let faulted;
  while (burst === current && current.sent < BURST_SIZE) {
    for (let i = 0; i < BURST_STEP && current.sent < BURST_SIZE; i++) {
      if (current.sent === BURST_FAULT_AT && fault) faulted = runControl(fault);
      if (current.sent === BURST_WAIT_AT && faulted) await faulted;
      if (burst !== current) return;
      try {
        conn.send({ type: 'echo', burst: current.id, n: current.sent + 1 });
      } catch (error) {
        const code = String(/** @type {{ code?: unknown }} */ (error).code ?? error);
        addLog('error', `burst stopped at ${current.sent}: send() threw ${code}`, { code });
        current.sending = false;
        renderStats();
        return;
      }
      current.sent++;
      counts.sent++;
    }
    current.lastChange = performance.now();
    renderStats();
    if (current.sent < BURST_SIZE) await new Promise((resolve) => setTimeout(resolve, BURST_TICK_MS));
  }
  current.sending = false;
  renderStats();
}

burstButton.addEventListener('click', startBurst);

/**
 * @param {string} status
 * @param {number} queued
 */
function renderBurst(status, queued) {
  burstButton.disabled = !customElements.get('ws-connection') || burst?.sending === true;
  if (!burst) {
    burstEchoed.value = '—';
    burstLost.value = '—';
    burstDuplicated.value = '—';
    burstNote.textContent = '';
    delete burstNote.dataset.result;
    return;
  }
  const back = burst.seen.size;
  const missing = burst.sent - back;
  burstEchoed.value = `${back} of ${burst.sent}`;
  burstDuplicated.value = String(burst.duplicated);
  const quiet = performance.now() - burst.lastChange;
  const settled = !burst.sending && status === 'open' && queued === 0 && (missing === 0 || quiet >= BURST_SETTLE_MS);
  if (settled && !burst.settled) {
    burst.settled = true;
    addLog('burst', `${back} of ${burst.sent} back, ${missing} lost, ${burst.duplicated} duplicated`, {
      lost: missing,
      duplicated: burst.duplicated,
    });
  }
  burst.settled ||= settled;
  if (burst.settled) {
    burstLost.value = String(missing);
    burstNote.textContent =
      missing === 0 && burst.duplicated === 0
        ? `Every message came back exactly once.`
        : `${missing} never came back${burst.duplicated ? `, ${burst.duplicated} came back twice` : ''}.`;
    burstNote.dataset.result = missing === 0 && burst.duplicated === 0 ? 'ok' : 'bad';
  } else {
    burstLost.value = '…';
    /** @type {string[]} */
    const waits = [];
    if (missing > 0) waits.push(`${missing} echo${missing === 1 ? '' : 'es'}`);
    if (queued > 0) waits.push(`${queued} acknowledgement${queued === 1 ? '' : 's'}`);
    if (status !== 'open') waits.push('the connection');
    burstNote.textContent = burst.sending
      ? `Sending ${burst.sent} of ${BURST_SIZE}…`
      : `Waiting for ${waits.join(', ') || 'quiet'}…`;
    delete burstNote.dataset.result;
    // Acknowledgements change `queued` without an event: look again soon, until the burst is settled.
    clearTimeout(settleTimer);
    settleTimer = setTimeout(renderStats, 100);
  }
}

// ---------------------------------------------------------------------------
// Start

function showEndpoint() {
  const url = resumeSwitch.checked ? resumeUrl : socketUrl;
  endpoint.textContent = server ? url : new URL(url, document.baseURI).href.replace(/^http/, 'ws');
}

showEndpoint();
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
