// @ts-check
import { SessionServer } from '../../dist/server/index.js';
import { startFaultServer } from './fault-server.js';

/**
 * A real `ws-connection/server` SessionServer (from dist/, built before the browser run) behind the fault
 * server (test/server/fault-server.js) on a free port of 127.0.0.1, for the `resume` browser tests and the
 * soak. Sessions are grouped by scope (`/s/NAME`, as on the fault server); each echoes every message back
 * and records what it received, in order. Browser tests drive it with
 * `executeServerCommand('session-server', { scope, action, … })`:
 *
 * - `url`; `received` (what the scope's sessions delivered, in order); `stats` (sessions started, sockets
 *   accepted, sessions alive); `reset`.
 * - Sessions: `push` (`count` numbered messages `{ push: n }` from each session of the scope, sent whether a
 *   socket is attached or not); `stream` (the same, `batch` every `interval` ms until `count`, while faults
 *   happen; `stream-stats` says how many were pushed and whether it still runs); `forget` (every session of
 *   the scope ends, as a restarted server would have forgotten it).
 * - Faults, as the fault server makes them (its actions of the same names): `kill` (every socket dropped
 *   without a close frame), `close` with `code` (a clean close), `refuse` for `ms` (HTTP 503 on upgrade),
 *   `drop` the next `count` (accept, then terminate), `delay` each handshake by `ms`, `silent` (half-open:
 *   the TCP stream paused both ways, so the session's writes stay in this process as a dead network
 *   would keep them from the page).
 *
 * `soak-options` hands the soak (test/browser/soak.test.ts) what the environment asks for:
 * `WS_SOAK_SEED`, `WS_SOAK_MESSAGES`.
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function sessionServerPlugin() {
  /**
   * @typedef {object} Scope
   * @property {Set<import('../../dist/server/index.js').ServerSession>} sessions
   * @property {unknown[]} received
   * @property {number} started
   * @property {number} accepted
   * @property {number} pushed
   * @property {NodeJS.Timeout | undefined} stream
   */
  /** @type {Map<string, Scope>} */
  const scopes = new Map();
  const scope = (/** @type {string} */ name) => {
    let found = scopes.get(name);
    if (!found)
      scopes.set(
        name,
        (found = { sessions: new Set(), received: [], started: 0, accepted: 0, pushed: 0, stream: undefined }),
      );
    return found;
  };
  const stopStream = (/** @type {Scope} */ state) => {
    clearInterval(state.stream);
    state.stream = undefined;
  };
  const pushFrom = (/** @type {Scope} */ state) => {
    const push = ++state.pushed;
    for (const session of state.sessions) session.send({ push });
  };
  // Each scope is a user of its own, so a session's scope is its user. The buffer holds a soak's whole stream
  // (pushes and echoes) while the page is away: overflowing would end the session, which the soak would
  // count as lost messages rather than as the fault it is.
  const server = new SessionServer({ ttl: 10_000, bufferLimit: 50_000, identify: (request) => scopeOf(request) });
  /** @param {import('node:http').IncomingMessage} request */
  function scopeOf(request) {
    const match = /^\/s\/([^/?#]+)/.exec(request.url ?? '');
    return match?.[1] ? decodeURIComponent(match[1]) : 'default';
  }
  /** @type {Awaited<ReturnType<typeof startFaultServer>> | undefined} */
  let faults;
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
  return {
    name: 'session-server',
    async serverStart() {
      faults = await startFaultServer({
        // The session protocol answers; the fault server only records and faults.
        onMessage: () => undefined,
        onConnection: (socket, name, request) => {
          scope(name).accepted++;
          server.accept(socket, request);
        },
      });
    },
    async serverStop() {
      for (const state of scopes.values()) stopStream(state);
      await server.close();
      await faults?.close();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'session-server') return undefined;
      if (!faults) throw new Error('The session server is not running.');
      const options = /** @type {{ scope?: string, action?: string, [key: string]: unknown }} */ (payload ?? {});
      const { scope: name = 'default', action } = options;
      const count = typeof options.count === 'number' ? options.count : 1;
      const state = scope(name);
      switch (action) {
        case 'url':
        case 'kill':
        case 'close':
        case 'refuse':
        case 'drop':
        case 'delay':
          return faults.control({ ...options, scope: name, action });
        case 'silent': {
          const silenced = faults.control({ scope: name, action });
          // The fault server pauses reading; writes are held back too, or the session's pushes would
          // reach the page through the "dead" socket and its heartbeat would never miss a reply.
          for (const stream of faults.scope(name).sockets.values()) stream.cork();
          return silenced;
        }
        case 'push':
          for (let i = 0; i < count; i++) pushFrom(state);
          return state.sessions.size;
        case 'stream': {
          const interval = typeof options.interval === 'number' ? options.interval : 10;
          const batch = typeof options.batch === 'number' ? options.batch : 1;
          const until = state.pushed + count;
          stopStream(state);
          state.stream = setInterval(() => {
            for (let i = 0; i < batch && state.pushed < until; i++) pushFrom(state);
            if (state.pushed >= until) stopStream(state);
          }, interval);
          return true;
        }
        case 'stream-stats':
          return { sent: state.pushed, streaming: state.stream !== undefined };
        case 'forget':
          for (const session of state.sessions) session.end();
          return true;
        case 'received':
          return state.received;
        case 'stats':
          return { started: state.started, accepted: state.accepted, sessions: state.sessions.size };
        case 'reset':
          stopStream(state);
          for (const session of state.sessions) session.end();
          scopes.delete(name);
          return faults.control({ scope: name, action: 'reset' });
        case 'soak-options':
          return {
            seed: process.env.WS_SOAK_SEED ? Number(process.env.WS_SOAK_SEED) : null,
            messages: process.env.WS_SOAK_MESSAGES ? Number(process.env.WS_SOAK_MESSAGES) : null,
          };
        default:
          throw new Error(`Unknown session-server action: ${String(action)}`);
      }
    },
  };
}
