// @ts-check
import { createServer } from 'node:http';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { schema } from '../../examples/graphql/schema.js';

/**
 * A real graphql-ws server (the `graphql-ws` package on `ws`, with the
 * recipe's schema, examples/graphql/schema.js) on a free port of 127.0.0.1,
 * started with the test run. Browser tests drive it through
 * `executeServerCommand('graphql', { action })`: `url`; `kill` (every socket
 * dropped without a close frame); `stats`, what the server saw of each
 * connection: its first frame's type and its close code, and the
 * subscriptions it started.
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function graphqlPlugin() {
  /** @type {{ firstFrames: string[], closeCodes: number[], subscriptions: number }} */
  let stats = { firstFrames: [], closeCodes: [], subscriptions: 0 };
  const http = createServer((_request, response) => response.writeHead(426).end());
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  // Heard before graphql-ws's own listeners: the first frame as the client wrote it, and how each socket ended.
  wss.on('connection', (socket) => {
    socket.once('message', (data) => {
      let type = '(not JSON)';
      try {
        type = String(JSON.parse(String(data)).type);
      } catch {
        // Recorded as not JSON.
      }
      stats.firstFrames.push(type);
    });
    socket.on('close', (code) => stats.closeCodes.push(code));
  });
  useServer(
    {
      schema,
      onSubscribe: () => {
        stats.subscriptions++;
      },
    },
    wss,
  );
  let port = 0;
  return {
    name: 'graphql-server',
    async serverStart() {
      await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
      const address = http.address();
      port = typeof address === 'object' && address ? address.port : 0;
    },
    async serverStop() {
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(() => resolve(undefined)));
      await new Promise((resolve) => http.close(() => resolve(undefined)));
    },
    async executeCommand({ command, payload }) {
      if (command !== 'graphql') return undefined;
      const action = /** @type {{ action?: unknown } | undefined} */ (payload)?.action;
      switch (action) {
        case 'url':
          return `ws://127.0.0.1:${port}/graphql`;
        case 'kill':
          for (const socket of wss.clients) socket.terminate();
          return true;
        case 'stats':
          return stats;
        case 'reset':
          for (const socket of wss.clients) socket.terminate();
          stats = { firstFrames: [], closeCodes: [], subscriptions: 0 };
          return true;
        default:
          throw new Error(`Unknown graphql action: ${String(action)}`);
      }
    },
  };
}
