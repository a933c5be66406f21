// @ts-check
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { SessionServer } from '../../dist/server/index.js';
import { scopeOf } from './fault-server.js';

/**
 * A real `ws-connection/server` SessionServer (from dist/, built before the browser run) on a free port
 * of 127.0.0.1, for the `resume` browser tests. Sessions are grouped by scope (`/s/NAME`, as on the
 * fault server); each echoes every message back and records what it received, in order. Browser tests
 * drive it with `executeServerCommand('session-server', { scope, action, … })`: `url`; `kill` (every
 * socket of the scope dropped without a close frame); `push` (`count` numbered messages `{ push: n }`
 * from each session of the scope, sent whether a socket is attached or not); `forget` (every session of
 * the scope ends, as a restarted server would have forgotten it); `received` (what the scope's sessions
 * delivered, in order); `stats` (sessions started, sockets accepted).
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function sessionServerPlugin() {
  /** @typedef {{ sessions: Set<import('../../dist/server/index.js').ServerSession>, sockets: Set<import('ws').WebSocket>, received: unknown[], started: number, accepted: number, pushed: number }} Scope */
  /** @type {Map<string, Scope>} */
  const scopes = new Map();
  const scope = (/** @type {string} */ name) => {
    let found = scopes.get(name);
    if (!found)
      scopes.set(
        name,
        (found = { sessions: new Set(), sockets: new Set(), received: [], started: 0, accepted: 0, pushed: 0 }),
      );
    return found;
  };
  const http = createServer((_request, response) => response.writeHead(426).end());
  const wss = new WebSocketServer({ server: http });
  // Each scope is a user of its own, so a session's scope is its user.
  const server = new SessionServer({ ttl: 10_000, identify: (request) => scopeOf(request.url) });
  wss.on('connection', (socket, request) => {
    const name = scopeOf(request.url);
    const state = scope(name);
    state.accepted++;
    state.sockets.add(socket);
    socket.on('close', () => state.sockets.delete(socket));
    server.accept(socket, request);
  });
  server.on('session', (session) => {
    const state = scope(session.user);
    state.started++;
    state.sessions.add(session);
    session.on('message', (data) => {
      state.received.push(data);
      session.send(data);
    });
    session.on('end', () => state.sessions.delete(session));
  });
  let port = 0;
  return {
    name: 'session-server',
    async serverStart() {
      await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
      const address = http.address();
      port = typeof address === 'object' && address ? address.port : 0;
    },
    async serverStop() {
      await server.close();
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => http.close(() => resolve(undefined)));
    },
    async executeCommand({ command, payload }) {
      if (command !== 'session-server') return undefined;
      const {
        scope: name = 'default',
        action,
        count,
      } = /** @type {{ scope?: string, action?: string, count?: number }} */ (payload ?? {});
      const state = scope(name);
      switch (action) {
        case 'url':
          return `ws://127.0.0.1:${port}/s/${encodeURIComponent(name)}`;
        case 'kill':
          for (const socket of state.sockets) socket.terminate();
          return state.sockets.size;
        case 'push':
          for (const session of state.sessions)
            for (let i = 0; i < (count ?? 1); i++) session.send({ push: ++state.pushed });
          return state.sessions.size;
        case 'forget':
          for (const session of state.sessions) session.end();
          return true;
        case 'received':
          return state.received;
        case 'stats':
          return { started: state.started, accepted: state.accepted, sessions: state.sessions.size };
        case 'reset':
          for (const session of state.sessions) session.end();
          scopes.delete(name);
          return true;
        default:
          throw new Error(`Unknown session-server action: ${String(action)}`);
      }
    },
  };
}
