// @ts-check
/**
 * The demo: one Node process that serves the demo page, the built element and
 * a chat WebSocket with fault controls, so you can watch `<ws-connection>`
 * lose its connection and get it back.
 *
 *   npm start                  # build, then serve on http://127.0.0.1:8080/
 *   PORT=9000 node demo/server.js
 *
 * Routes (all on 127.0.0.1):
 *   GET  /, /demo/*           the page (demo/)
 *   GET  /dist/*              the build (dist/)
 *   WS   /s/chat              chat: `{type:'chat', name, text}` is broadcast to every open
 *                             socket and every session as `{type:'chat', name, text, at}`;
 *                             `{type:'echo', burst, n}` comes back to its sender alone; `ping` → `pong`
 *   WS   /s/chat?resume       the same room, speaking the resume protocol (`<ws-connection resume>`):
 *                             each socket is handed to a SessionServer (ws-connection/server), and
 *                             what goes to a session while its socket is away is replayed on resume
 *   POST /control/kill        drop every chat socket (both kinds) without a closing handshake
 *   POST /control/refuse      refuse WebSocket upgrades (HTTP 503) for 5 s
 *   POST /control/silent      stop reading and writing, without closing (half-open)
 *
 * Both endpoints are one fault-server scope (`chat`: the query is not part of it), so every fault
 * control reaches plain sockets and session sockets alike.
 */
import { createServer as createNetServer } from 'node:net';
import { realpathSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SessionServer } from '../dist/server/index.js';
import { startFaultServer } from '../test/server/fault-server.js';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('ws').WebSocket} WebSocket */
/** @typedef {import('../dist/server/index.js').ServerSession} ServerSession */

const DEMO_DIR = dirname(fileURLToPath(import.meta.url));
const DIST_DIR = resolve(DEMO_DIR, '..', 'dist');

/** The chat's fault-server scope: its sockets connect to `/s/chat`. */
const SCOPE = 'chat';
/** How long `POST /control/refuse` refuses upgrades. */
const REFUSE_MS = 5000;
const MAX_NAME = 40;
const MAX_TEXT = 2000;
const MAX_BURST_ID = 40;
/** The highest number an echo may carry: more than any burst the page sends. */
const MAX_ECHO = 100_000;

/** Served on the HTML: the demo runs with no inline script or style and with Trusted Types enforced. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** @type {Record<string, string>} */
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** `POST /control/NAME` → the fault server command it runs on the chat scope. */
/** @type {Record<string, { action: string, [key: string]: unknown }>} */
const CONTROLS = {
  kill: { action: 'kill' },
  refuse: { action: 'refuse', ms: REFUSE_MS },
  silent: { action: 'silent' },
};

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
};

/**
 * Whether nothing listens on `port` at 127.0.0.1. The fault server has no way
 * to report a busy port (its listen error would be uncaught), so ask first.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function isPortFree(port) {
  return new Promise((done) => {
    const probe = createNetServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

/**
 * The file a static URL path maps to, or `undefined` when it is not one we serve
 * (including any attempt to leave the served folders).
 * @param {string} pathname the URL's path, still percent-encoded
 * @returns {string | undefined}
 */
export function staticFileFor(pathname) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  // Refuse any `..` segment outright, rather than resolving it and hoping to land inside.
  if (path.split('/').some((segment) => segment === '..')) return undefined;

  /** @type {[string, string]} root folder and path inside it */
  let target;
  if (path === '/' || path === '/demo' || path === '/demo/') target = [DEMO_DIR, 'index.html'];
  else if (path.startsWith('/dist/')) target = [DIST_DIR, path.slice('/dist/'.length)];
  else if (path.startsWith('/demo/')) target = [DEMO_DIR, path.slice('/demo/'.length)];
  else target = [DEMO_DIR, path.slice(1)];

  const [root, inside] = target;
  if (inside === '') return undefined;
  const file = resolve(root, inside);
  if (!file.startsWith(root + sep)) return undefined;
  // The server's own source is not a page asset.
  if (root === DEMO_DIR && file === join(DEMO_DIR, 'server.js')) return undefined;
  return file;
}

/**
 * @param {ServerResponse} response
 * @param {number} status
 * @param {string} text
 * @param {Record<string, string>} [headers]
 */
function sendText(response, status, text, headers = {}) {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  response.end(text);
}

/**
 * @param {IncomingMessage} request
 * @param {ServerResponse} response
 * @param {string} pathname
 */
async function serveStatic(request, response, pathname) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    return;
  }
  const file = staticFileFor(pathname);
  if (!file) {
    sendText(response, 404, 'Not Found');
    return;
  }
  let body;
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    body = await readFile(file);
  } catch {
    const hint = file.startsWith(DIST_DIR + sep) ? ' (run `npm run build` first)' : '';
    sendText(response, 404, `Not Found${hint}`);
    return;
  }
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  /** @type {Record<string, string | number>} */
  const headers = {
    'Content-Type': type,
    'Content-Length': body.length,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * @param {unknown} value
 * @param {number} max
 * @returns {string}
 */
function cleanString(value, max) {
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/**
 * Starts the demo: page, build, chat WebSocket (plain and resume) and fault controls, on 127.0.0.1.
 * @param {{ port?: number }} [options] `0` picks a free port; a busy port rejects with code `EADDRINUSE`
 * @returns {Promise<{ origin: string, port: number, close: () => Promise<void> }>}
 */
export async function startDemoServer({ port = 8080 } = {}) {
  if (port !== 0 && !(await isPortFree(port))) {
    throw Object.assign(new Error(`Port ${port} on 127.0.0.1 is in use.`), { code: 'EADDRINUSE' });
  }

  /** @type {Awaited<ReturnType<typeof startFaultServer>> | undefined} */
  let server;

  // The resume endpoint's sessions. Everyone is one user (no `identify`): this demo has no login, and
  // a session id is an unguessable secret that only its own page learns.
  const sessionServer = new SessionServer();
  /** @type {Set<ServerSession>} */
  const sessions = new Set();
  /** Sockets of the resume endpoint: their frames are the SessionServer's, not the plain handler's. */
  /** @type {WeakSet<WebSocket>} */
  const resumeSockets = new WeakSet();

  /** @param {unknown} payload */
  const broadcast = (payload) => {
    const frame = JSON.stringify(payload);
    for (const ws of server?.scope(SCOPE).sockets.keys() ?? []) {
      if (!resumeSockets.has(ws) && ws.readyState === ws.OPEN) ws.send(frame);
    }
    // Kept by the session while its socket is away, and replayed when the page resumes it.
    for (const session of sessions) session.send(payload);
  };

  /**
   * What both endpoints do with one chat message, whichever way it came.
   * @param {unknown} message the parsed JSON value
   * @param {(payload: unknown) => void} reply sends to the sender alone
   */
  const onChatMessage = (message, reply) => {
    if (!message || typeof message !== 'object') return;
    const frame = /** @type {{ type?: unknown, name?: unknown, text?: unknown, burst?: unknown, n?: unknown }} */ (
      message
    );
    if (frame.type === 'echo') {
      // The page's burst: numbered messages whose echoes it counts, to show what was lost or duplicated.
      const burst = cleanString(frame.burst, MAX_BURST_ID);
      const n = frame.n;
      if (burst && typeof n === 'number' && Number.isSafeInteger(n) && n > 0 && n <= MAX_ECHO) {
        reply({ type: 'echo', burst, n });
      }
      return;
    }
    if (frame.type !== 'chat') return;
    const body = cleanString(frame.text, MAX_TEXT);
    if (!body) return;
    broadcast({ type: 'chat', name: cleanString(frame.name, MAX_NAME) || 'anonymous', text: body, at: Date.now() });
  };

  sessionServer.on('session', (session) => {
    sessions.add(session);
    session.on('message', (data) => onChatMessage(data, (payload) => session.send(payload)));
    session.on('end', () => sessions.delete(session));
  });

  /**
   * @param {WebSocket} ws
   * @param {string} scope
   * @param {IncomingMessage} request
   */
  const onConnection = (ws, scope, request) => {
    if (scope !== SCOPE) return;
    if (!new URL(request.url ?? '/', 'http://localhost').searchParams.has('resume')) return;
    resumeSockets.add(ws);
    sessionServer.accept(ws, request);
  };

  /**
   * @param {WebSocket} ws
   * @param {string | Buffer} data
   * @param {boolean} isBinary
   * @param {string} scope
   */
  const onMessage = (ws, data, isBinary, scope) => {
    if (resumeSockets.has(ws)) return;
    if (isBinary) return;
    const text = data.toString();
    if (text === 'ping') {
      ws.send('pong');
      return;
    }
    if (scope !== SCOPE) return;
    /** @type {unknown} */
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      ws.send(JSON.stringify({ type: 'error', message: 'Frames must be JSON or "ping".' }));
      return;
    }
    onChatMessage(message, (payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
    });
  };

  /**
   * @param {IncomingMessage} request
   * @param {ServerResponse} response
   */
  const onRequest = (request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname.startsWith('/control/')) {
      const command = Object.hasOwn(CONTROLS, pathname.slice('/control/'.length))
        ? CONTROLS[pathname.slice('/control/'.length)]
        : undefined;
      if (!command) {
        sendText(response, 404, 'Unknown control', CORS_HEADERS);
      } else if (request.method === 'OPTIONS') {
        response.writeHead(204, CORS_HEADERS).end();
      } else if (request.method !== 'POST') {
        sendText(response, 405, 'Method Not Allowed', { ...CORS_HEADERS, Allow: 'POST, OPTIONS' });
      } else {
        server?.control({ scope: SCOPE, ...command });
        response.writeHead(204, { ...CORS_HEADERS, 'Cache-Control': 'no-store' }).end();
      }
      request.resume();
      return;
    }
    if (pathname.startsWith('/s/')) {
      sendText(response, 426, 'WebSocket only', { Upgrade: 'websocket' });
      return;
    }
    serveStatic(request, response, pathname).catch(() => {
      if (!response.headersSent) sendText(response, 500, 'Internal Server Error');
      else response.destroy();
    });
  };

  server = await startFaultServer({ port, onMessage, onConnection, onRequest });
  const running = server;
  const origin = `http://127.0.0.1:${running.port}`;
  let closing = /** @type {Promise<void> | undefined} */ (undefined);

  return {
    origin,
    port: running.port,
    close() {
      closing ??= (async () => {
        // Page loads keep HTTP connections alive; drop them so close() does not wait on the browser.
        running.http.closeIdleConnections();
        // Its sockets (1001) and ttl timers first, so nothing of the sessions outlives the server.
        await sessionServer.close();
        const closed = running.close();
        running.http.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

async function main() {
  const wanted = process.env.PORT === undefined || process.env.PORT === '' ? 8080 : Number(process.env.PORT);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
    console.error(`PORT must be a port number, not ${JSON.stringify(process.env.PORT)}.`);
    process.exit(1);
  }
  /** @type {Awaited<ReturnType<typeof startDemoServer>>} */
  let demo;
  try {
    demo = await startDemoServer({ port: wanted });
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error).code !== 'EADDRINUSE') throw error;
    demo = await startDemoServer({ port: 0 });
    console.log(`Port ${wanted} is busy; using ${demo.port} instead.`);
  }
  try {
    await stat(join(DIST_DIR, 'ws-connection.min.js'));
  } catch {
    console.warn('dist/ws-connection.min.js is missing: run `npm run build` (or `npm start`).');
  }
  console.log(`Demo: ${demo.origin}/`);
  console.log('Press Ctrl+C to stop.');
  const stop = () => {
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Whether this file is the program (`node demo/server.js`), not an import. */
function isMain() {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
