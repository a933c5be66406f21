// @ts-check
/**
 * The storm's WebSocket server, run as its own process (so its accept work
 * and the 2,000 clients' work are on separate cores, as on a real fleet).
 * Driven over IPC by bench/storm.js:
 *   { type: 'restart', downMs }  terminate every socket, stop listening (→ { type: 'down', at }),
 *                                listen again on the same port after downMs
 *   { type: 'report' }           → { type: 'report', upgrades: epoch ms of every upgrade request, open }
 * It sends { type: 'listening', port, at } each time it listens.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/** Wall-clock ms with sub-ms precision, comparable across the two processes. */
const now = () => performance.timeOrigin + performance.now();

/** Large enough that a herd of 2,000 SYNs is queued, not dropped: the herd's cost shows as load, not as SYN retries. */
const BACKLOG = 4096;

const send = (/** @type {object} */ message) => process.send?.(message);

/** @type {number[]} */
const upgrades = [];
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const http = createServer((_request, response) => response.writeHead(426).end());
http.on('upgrade', (request, stream, head) => {
  upgrades.push(now());
  stream.on('error', () => {});
  wss.handleUpgrade(request, stream, head, (ws) => ws.on('error', () => {}));
});

/** @param {number} port */
const listen = (port) =>
  new Promise((resolve) => {
    http.listen({ port, host: '127.0.0.1', backlog: BACKLOG }, () => {
      const address = http.address();
      const actual = typeof address === 'object' && address ? address.port : 0;
      send({ type: 'listening', port: actual, at: now() });
      resolve(actual);
    });
  });

let port = await listen(Number(process.env.STORM_PORT ?? 0));

process.on('message', (/** @type {{ type: string, downMs?: number }} */ message) => {
  if (message.type === 'restart') {
    // A deploy: every connection dies at once and nothing listens for a while.
    for (const ws of wss.clients) ws.terminate();
    http.close();
    http.closeAllConnections();
    send({ type: 'down', at: now() });
    setTimeout(async () => {
      port = await listen(port);
    }, message.downMs ?? 500);
  } else if (message.type === 'report') {
    send({ type: 'report', upgrades, open: wss.clients.size });
  } else if (message.type === 'exit') {
    for (const ws of wss.clients) ws.terminate();
    process.exit(0);
  }
});
// The driver died: do not linger.
process.on('disconnect', () => process.exit(0));
