// @ts-check
/**
 * A real WebSocket server (the `ws` package) on 127.0.0.1 with controls to
 * inject faults, shared by the browser tests (through a test-runner plugin)
 * and the demo.
 *
 * Connections are grouped by scope, the path segment after `/s/`
 * (`ws://127.0.0.1:PORT/s/my-test`), so tests running side by side each
 * fault only their own sockets.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/** @typedef {import('ws').WebSocket} WebSocket */
/** @typedef {import('node:stream').Duplex} Duplex */
/**
 * @typedef {object} Scope
 * @property {Map<WebSocket, Duplex>} sockets open sockets and their TCP streams
 * @property {number} refuseUntil epoch ms before which upgrades get HTTP 503
 * @property {number} dropNext accept-then-drop this many coming connections
 * @property {number} handshakeDelay ms to hold each upgrade before answering
 * @property {number} handshakes upgrade requests seen, refused ones included
 * @property {number} accepted connections opened
 * @property {{ data: string, binary: boolean }[]} received frames, in order (binary as base64)
 * @property {{ url: string, protocol: string }[]} requests each upgrade's path and subprotocol header
 * @property {number[]} closeCodes the close code of each connection that ended, as the server saw it (1006: no close frame)
 * @property {Set<WebSocket>} silenced sockets made half-open by `silent`: a `stream` skips them, as a dead network would
 * @property {{ sent: number, timer: NodeJS.Timeout | undefined }} stream the `stream` action's numbered pushes
 */

/**
 * @typedef {object} FaultServerOptions
 * @property {number} [port] 0 (default) picks a free one
 * @property {(ws: WebSocket, data: string | Buffer, isBinary: boolean, scope: string) => void} [onMessage]
 *   replaces the default behaviour: echo every frame, answer a text `ping` with `pong`
 * @property {(ws: WebSocket, scope: string, request: import('node:http').IncomingMessage) => void} [onConnection]
 *   called once the socket is open and the fault server listens to it (its `message` listener comes first)
 * @property {import('node:http').RequestListener} [onRequest] plain HTTP requests
 */

/** @returns {Scope} */
function newScope() {
  return {
    sockets: new Map(),
    refuseUntil: 0,
    dropNext: 0,
    handshakeDelay: 0,
    handshakes: 0,
    accepted: 0,
    received: [],
    requests: [],
    closeCodes: [],
    silenced: new Set(),
    stream: { sent: 0, timer: undefined },
  };
}

/** Stops a scope's `stream`, if one runs. @param {Scope} state */
function stopStream(state) {
  clearInterval(state.stream.timer);
  state.stream.timer = undefined;
}

/** @param {string | undefined} url */
export function scopeOf(url) {
  const match = /^\/s\/([^/?#]+)/.exec(url ?? '');
  return match?.[1] ? decodeURIComponent(match[1]) : 'default';
}

/** @param {WebSocket} ws @param {string | Buffer} data @param {boolean} isBinary */
function echo(ws, data, isBinary) {
  if (!isBinary && data.toString() === 'ping') ws.send('pong');
  else ws.send(data, { binary: isBinary });
}

/** @param {FaultServerOptions} [options] */
export async function startFaultServer(options = {}) {
  /** @type {Map<string, Scope>} */
  const scopes = new Map();
  /** @param {string} name */
  const scope = (name) => {
    let found = scopes.get(name);
    if (!found) scopes.set(name, (found = newScope()));
    return found;
  };
  const onMessage = options.onMessage ?? echo;
  const http = createServer(
    options.onRequest ??
      ((_request, response) => {
        response.writeHead(426).end('WebSocket only');
      }),
  );
  const wss = new WebSocketServer({ noServer: true });

  http.on('upgrade', (request, stream, head) => {
    const name = scopeOf(request.url);
    const state = scope(name);
    state.handshakes++;
    state.requests.push({
      url: request.url ?? '',
      protocol: String(request.headers['sec-websocket-protocol'] ?? ''),
    });
    if (Date.now() < state.refuseUntil) {
      stream.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const accept = () => {
      if (stream.destroyed) return;
      wss.handleUpgrade(request, stream, head, (ws) => {
        state.accepted++;
        if (state.dropNext > 0) {
          state.dropNext--;
          ws.terminate();
          return;
        }
        state.sockets.set(ws, stream);
        ws.on('close', (code) => {
          state.sockets.delete(ws);
          state.silenced.delete(ws);
          state.closeCodes.push(code);
        });
        ws.on('error', () => state.sockets.delete(ws));
        ws.on('message', (data, isBinary) => {
          const frame = /** @type {Buffer} */ (data);
          state.received.push({ data: frame.toString(isBinary ? 'base64' : 'utf8'), binary: isBinary });
          onMessage(ws, frame, isBinary, name);
        });
        options.onConnection?.(ws, name, request);
      });
    };
    if (state.handshakeDelay > 0) setTimeout(accept, state.handshakeDelay);
    else accept();
  });

  await new Promise((resolve) => http.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined)));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  /**
   * Runs one control command against a scope and returns its answer.
   * @param {{ scope?: string, action: string, [key: string]: unknown }} command
   */
  function control(command) {
    const name = command.scope ?? 'default';
    const state = scope(name);
    const number = (/** @type {string} */ key, /** @type {number} */ fallback) =>
      typeof command[key] === 'number' ? /** @type {number} */ (command[key]) : fallback;
    switch (command.action) {
      case 'url':
        return `ws://127.0.0.1:${port}/s/${encodeURIComponent(name)}`;
      case 'kill':
        for (const ws of state.sockets.keys()) ws.terminate();
        return state.sockets.size;
      case 'close': {
        const code = number('code', 1000);
        const reason = typeof command.reason === 'string' ? command.reason : '';
        for (const ws of state.sockets.keys()) ws.close(code, reason);
        return state.sockets.size;
      }
      case 'refuse':
        state.refuseUntil = Date.now() + number('ms', 1000);
        return true;
      case 'drop':
        state.dropNext = number('count', 1);
        return true;
      case 'delay':
        state.handshakeDelay = number('ms', 0);
        return true;
      case 'silent':
        // Stop reading and writing without closing: a half-open connection. Paused, the
        // server cannot even see a close frame, just like a peer whose network vanished.
        for (const [ws, stream] of state.sockets) {
          stream.pause();
          ws.removeAllListeners('message');
          state.silenced.add(ws);
        }
        return state.sockets.size;
      case 'push': {
        const count = number('count', 1);
        const data = typeof command.data === 'string' ? command.data : 'x';
        for (const ws of state.sockets.keys()) for (let i = 0; i < count; i++) ws.send(data);
        return state.sockets.size;
      }
      case 'stream': {
        // The server's own numbered messages, `{"push":n}`, `batch` every `interval` ms until `count`, to
        // whatever socket of the scope is open at the time: one pushed while none is (or into a half-open
        // one) is lost, as it is for any server without sessions.
        const count = number('count', 100);
        const interval = number('interval', 10);
        const batch = number('batch', 1);
        stopStream(state);
        state.stream.sent = 0;
        state.stream.timer = setInterval(() => {
          for (let i = 0; i < batch && state.stream.sent < count; i++) {
            const data = JSON.stringify({ push: ++state.stream.sent });
            for (const ws of state.sockets.keys()) if (!state.silenced.has(ws)) ws.send(data);
          }
          if (state.stream.sent >= count) stopStream(state);
        }, interval);
        return true;
      }
      case 'stream-stats':
        return { sent: state.stream.sent, streaming: state.stream.timer !== undefined };
      case 'send-binary': {
        const bytes = Array.isArray(command.bytes) ? command.bytes.map(Number) : [];
        for (const ws of state.sockets.keys()) ws.send(Buffer.from(bytes), { binary: true });
        return state.sockets.size;
      }
      case 'received':
        return state.received;
      case 'stats':
        return {
          open: state.sockets.size,
          handshakes: state.handshakes,
          accepted: state.accepted,
          requests: state.requests,
          closeCodes: state.closeCodes,
        };
      case 'reset':
        stopStream(state);
        for (const ws of state.sockets.keys()) ws.terminate();
        scopes.delete(name);
        return true;
      default:
        throw new Error(`Unknown fault-server action: ${String(command.action)}`);
    }
  }

  async function close() {
    for (const state of scopes.values()) {
      stopStream(state);
      for (const ws of state.sockets.keys()) ws.terminate();
    }
    wss.close();
    await new Promise((resolve) => http.close(() => resolve(undefined)));
  }

  return { port, http, wss, control, scope, close };
}
