// @ts-check
/**
 * The bench server on 127.0.0.1: serves the self-running pages and the
 * bundles, takes the results they POST, and runs the WebSocket endpoints the
 * phases use. Every page is cross-origin isolated (COOP + COEP), which gives
 * `performance.now()` 5 µs resolution instead of 100 µs.
 *
 * WebSocket endpoints, by path:
 *   /ws/push  `push:N` → N text frames of 64 bytes, written to the TCP stream in one go
 *   /ws/echo  every frame sent back
 *   /ws/kill  `kill` → the TCP connection is destroyed (the client sees 1006)
 *   /ws/leak  accepts and holds; only counted
 *   /ws/share accepts and holds (any query: each sharing configuration uses its own URL, so its own share key);
 *             `push(path)` sends one frame to every socket open on it
 *
 * The same three phases speaking the resume protocol, through a `SessionServer` (dist/server), for the
 * `<ws-connection resume>` contender:
 *   /session/push  `push:N` → N messages of 64 bytes, `session.send()` each (numbered, stored, written),
 *                  held in the TCP stream until the last is written, then written in one go (`holdPush`)
 *   /session/echo  every message sent back with `session.send()`
 *   /session/kill  `kill` → the session's socket is destroyed; the client resumes the session
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';
import { WebSocketServer } from 'ws';
import { SessionServer } from '../dist/server/index.js';

const benchDir = new URL('.', import.meta.url).pathname;
const FRAME_PAYLOAD = 64;
const PUSH_PAYLOAD = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';

/**
 * N unmasked server→client text frames of 64 ASCII bytes each (header 0x81,
 * length 64), built once. Written straight to the stream, they cost the server
 * one write instead of N framing calls, so it outruns any browser and the
 * client side alone sets the pace.
 * @param {number} count
 */
function pushFrames(count) {
  const payload = Buffer.from(PUSH_PAYLOAD, 'ascii');
  const frame = Buffer.concat([Buffer.from([0x81, FRAME_PAYLOAD]), payload]);
  const frames = Buffer.allocUnsafe(frame.length * count);
  for (let i = 0; i < count; i++) frame.copy(frames, i * frame.length);
  return frames;
}

/** BENCH_SESSION_TIMING=1: the bench server logs how long the SessionServer takes over each push. */
const timing = process.env.BENCH_SESSION_TIMING === '1';

/**
 * Holds a session push's frames in the TCP stream (corked) until the last of them reached `ws`, then
 * writes them in one go, as /ws/push writes its raw frames: the client side alone sets the pace, and the
 * SessionServer's own time per `send()` (logged with BENCH_SESSION_TIMING=1) stays out of the page's
 * first-to-last window instead of pacing it.
 * @param {import('ws').WebSocket} socket
 * @param {import('node:stream').Duplex} stream
 * @param {number} count
 */
function holdPush(socket, stream, count) {
  const started = performance.now();
  const send = socket.send.bind(socket);
  let written = 0;
  /** @type {number | undefined} */
  let first;
  stream.cork();
  socket.send = /** @type {typeof socket.send} */ (
    (/** @type {any} */ data, /** @type {any[]} */ ...rest) => {
      const result = send(data, ...rest);
      if (String(data).startsWith('{"t":"m"')) {
        first ??= performance.now();
        if (++written === count) {
          socket.send = send;
          stream.uncork();
          if (timing) {
            const last = performance.now();
            console.log(
              `session push ${count}: first frame to ws at ${(first - started).toFixed(0)} ms, last at ` +
                `${(last - started).toFixed(0)} ms (${Math.round(count / ((last - first) / 1000))} frames/s through send())`,
            );
          }
        }
      }
      return result;
    }
  );
}

/** @param {string} script @param {string} [head] more of the head, before the script */
const pageHtml = (script, head = '') =>
  `<!doctype html><meta charset="utf-8"><title>ws-connection bench</title>` +
  `<link rel="icon" href="data:,">${head}<script type="module" src="${script}"></script>`;

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cache-Control': 'no-store',
};

/**
 * @param {{ libraries: Map<string, { code: string }> }} options
 */
export async function startBenchServer({ libraries }) {
  /** @type {Map<string, Buffer>} */
  const frameCache = new Map();
  /** @type {Map<string, (body: unknown) => void>} */
  const awaitingResults = new Map();
  /** @type {Map<string, { open: number, handshakes: number }>} */
  const counts = new Map();
  /** @type {Map<string, Set<import('ws').WebSocket>>} the open sockets of each /ws/share URL, for `push` */
  const shareSockets = new Map();
  const countsOf = (/** @type {string} */ path) => {
    let found = counts.get(path);
    if (!found) counts.set(path, (found = { open: 0, handshakes: 0 }));
    return found;
  };

  const http = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (/** @type {number} */ status, /** @type {string} */ type, /** @type {string | Buffer} */ body) =>
      response.writeHead(status, { 'Content-Type': type, ...isolation }).end(body);
    try {
      if (request.method === 'POST' && url.pathname.startsWith('/results/')) {
        let body = '';
        for await (const chunk of request) body += chunk;
        awaitingResults.get(url.pathname.slice('/results/'.length))?.(JSON.parse(body));
        send(204, 'text/plain', '');
      } else if (url.pathname === '/run') {
        send(200, 'text/html', pageHtml('/bench/page/main.js'));
      } else if (url.pathname === '/leak') {
        send(200, 'text/html', pageHtml('/bench/page/leak.js'));
      } else if (url.pathname === '/profile') {
        send(200, 'text/html', pageHtml('/bench/page/profile.js'));
      } else if (url.pathname === '/share') {
        send(200, 'text/html', pageHtml('/bench/page/share.js'));
      } else if (url.pathname === '/first-open') {
        // `preload=1`: the page preloads the share chunk, as README shows for pages that use share.
        const preload = url.searchParams.get('preload') === '1';
        send(
          200,
          'text/html',
          pageHtml('/bench/page/first-open.js', preload ? '<link rel="modulepreload" href="/lib/share.min.js">' : ''),
        );
      } else if (url.pathname === '/event-cost') {
        send(200, 'text/html', pageHtml('/bench/page/event-cost.js'));
      } else if (url.pathname === '/lib/ws-connection.js' || url.pathname === '/lib/ws-connection-resume.js') {
        // The element bundle under its own file name: its share chunk imports `./ws-connection.min.js`, which
        // must be the module the page loaded, not a second copy of it.
        response.writeHead(302, { Location: '/lib/ws-connection.min.js', ...isolation }).end();
      } else if (url.pathname === '/lib/ws-connection.min.js') {
        send(200, 'text/javascript', /** @type {{ code: string }} */ (libraries.get('ws-connection')).code);
      } else if (url.pathname.startsWith('/lib/') && url.pathname.endsWith('.js')) {
        const library = libraries.get(url.pathname.slice('/lib/'.length, -'.js'.length));
        if (library) send(200, 'text/javascript', library.code);
        else send(404, 'text/plain', 'no such library');
      } else if (url.pathname.startsWith('/bench/') && url.pathname.endsWith('.js')) {
        // Only files inside bench/: normalize, then check the prefix.
        const file = normalize(join(benchDir, url.pathname.slice('/bench/'.length)));
        if (!file.startsWith(benchDir)) send(403, 'text/plain', 'outside bench/');
        else send(200, 'text/javascript', await readFile(file));
      } else {
        send(404, 'text/plain', 'not found');
      }
    } catch (error) {
      if (!response.headersSent) send(500, 'text/plain', String(error));
    }
  });

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  // The resume contender's server. Each endpoint is a user of its own (identify), so a session knows its
  // phase. The buffer holds a whole push (100,000 messages written before the first acknowledgement can
  // come back); the default 1,000 would end the session, as it should for a client that far behind.
  const sessions = new SessionServer({
    bufferLimit: 1_000_000,
    identify: (request) => new URL(request.url ?? '/', 'http://127.0.0.1').pathname,
  });
  /** @type {WeakMap<import('ws').WebSocket, import('node:stream').Duplex>} each session socket's TCP stream */
  const streams = new WeakMap();
  sessions.on('session', (session) => {
    /** @type {import('ws').WebSocket | undefined} */
    let socket;
    session.on('socket', (attached) => (socket = attached));
    session.on('message', (data) => {
      if (session.user === '/session/echo') session.send(data);
      else if (session.user === '/session/kill' && data === 'kill') socket?.terminate();
      else if (session.user === '/session/push' && typeof data === 'string' && data.startsWith('push:')) {
        const count = Number(data.slice('push:'.length));
        const started = performance.now();
        const stream = socket && streams.get(socket);
        if (socket && stream) holdPush(socket, stream, count);
        for (let i = 0; i < count; i++) session.send(PUSH_PAYLOAD);
        if (timing)
          console.log(`session push ${count}: send() ×${count} took ${(performance.now() - started).toFixed(0)} ms`);
      }
    });
  });
  http.on('upgrade', (request, stream, head) => {
    const parsed = new URL(request.url ?? '/', 'http://127.0.0.1');
    // A /ws/share URL is counted with its query: each sharing configuration is told apart by it.
    const path = parsed.pathname === '/ws/share' ? `${parsed.pathname}${parsed.search}` : parsed.pathname;
    const session = ['/session/push', '/session/echo', '/session/kill'].includes(parsed.pathname);
    if (!session && !['/ws/push', '/ws/echo', '/ws/kill', '/ws/leak', '/ws/share'].includes(parsed.pathname)) {
      stream.destroy();
      return;
    }
    const count = countsOf(path);
    count.handshakes++;
    // A client that gave up mid-handshake (the leak check unmounts at once) resets the stream.
    stream.on('error', () => {});
    wss.handleUpgrade(request, stream, head, (ws) => {
      count.open++;
      ws.on('close', () => count.open--);
      if (session) {
        streams.set(ws, stream);
        sessions.accept(ws, request);
        return;
      }
      if (parsed.pathname === '/ws/share') {
        let sockets = shareSockets.get(path);
        if (!sockets) shareSockets.set(path, (sockets = new Set()));
        sockets.add(ws);
        ws.on('close', () => sockets.delete(ws));
      }
      ws.on('error', () => {});
      ws.on('message', (data, isBinary) => {
        const text = isBinary ? '' : String(data);
        if (path === '/ws/echo') {
          ws.send(data, { binary: isBinary });
        } else if (path === '/ws/kill' && text === 'kill') {
          ws.terminate();
        } else if (path === '/ws/push' && text.startsWith('push:')) {
          const frames = Number(text.slice('push:'.length));
          let buffer = frameCache.get(text);
          if (!buffer) frameCache.set(text, (buffer = pushFrames(frames)));
          // Nothing else is ever sent on a push connection, so raw frames cannot interleave with ws's own.
          stream.write(buffer);
        }
      });
    });
  });

  await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    origin: `http://127.0.0.1:${port}`,
    /**
     * Resolves with the body a page POSTs to `/results/ID`, or rejects after `ms`.
     * @param {string} id
     * @param {number} ms
     * @returns {Promise<any>}
     */
    result(id, ms) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          awaitingResults.delete(id);
          reject(new Error(`No results from page ${id} within ${ms} ms`));
        }, ms);
        awaitingResults.set(id, (body) => {
          clearTimeout(timer);
          awaitingResults.delete(id);
          resolve(body);
        });
      });
    },
    /**
     * Sends `data` as one text frame to every socket open on a /ws/share URL (path and query).
     * @param {string} path
     * @param {string} data
     * @returns {number} how many sockets it went to
     */
    push(path, data) {
      const sockets = shareSockets.get(path) ?? new Set();
      for (const ws of sockets) ws.send(data);
      return sockets.size;
    },
    /** Open connections and handshakes seen on a WebSocket path (a /ws/share one with its query). */
    counts: (/** @type {string} */ path) => ({ ...countsOf(path) }),
    async close() {
      await sessions.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(() => resolve(undefined)));
    },
  };
}
