// @ts-check
// One process of a test fleet: a `ws` server on a free port of 127.0.0.1 whose sockets go to a
// SessionServer with a RedisSessionStore (REDIS_URL) or, without REDIS_URL, a MemorySessionStore.
// It reports to its parent over IPC: listening, session, socket, end (with its reason and error).
// Each client message delivered is appended to FLEET_LOG (synchronously, so a SIGKILL right after
// loses none of the record); a message {echo} comes back to its sender. The parent asks it to send
// in any session ({type:'send'}, or {type:'send-all'} for many), to log elsewhere ({type:'log'}) and
// to close ({type:'close'}).
import { appendFileSync } from 'node:fs';
import { createClient } from 'redis';
import { WebSocketServer } from 'ws';
import { MemorySessionStore, SessionServer } from '../../dist/server/index.js';
import { RedisSessionStore } from '../../dist/server/redis.js';

const name = process.env.FLEET_NAME ?? 'server';
let log = process.env.FLEET_LOG;
const report = (/** @type {object} */ event) => process.send?.({ ...event, server: name });

const store = process.env.REDIS_URL
  ? await RedisSessionStore.connect({
      // Reconnects quickly, so a restarted Redis is back within the test's time.
      client: createClient({
        url: process.env.REDIS_URL,
        socket: { reconnectStrategy: (retries) => Math.min(50 * retries, 500) },
      }),
    })
  : new MemorySessionStore();
const sessions = new SessionServer({ store, ttl: Number(process.env.FLEET_TTL ?? 120000) });
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (socket, request) => sessions.accept(socket, request));

sessions.on('session', (session) => {
  report({ type: 'session', id: session.id });
  session.on('socket', () => report({ type: 'socket', id: session.id }));
  session.on('message', (data) => {
    if (log) appendFileSync(log, `${JSON.stringify({ server: name, id: session.id, data })}\n`);
    if (data && typeof data === 'object' && 'echo' in data) session.send(data);
  });
  session.on('end', (reason, error) =>
    report({ type: 'end', id: session.id, reason, error: error instanceof Error ? error.message : undefined }),
  );
});

process.on('message', (/** @type {any} */ message) => {
  if (message.type === 'send') {
    sessions.send(message.id, message.data).then(
      (sent) => report({ type: 'sent', request: message.request, sent }),
      (error) => report({ type: 'sent', request: message.request, error: String(error) }),
    );
  } else if (message.type === 'log') {
    log = message.file || undefined;
    report({ type: 'logging', request: message.request });
  } else if (message.type === 'send-all') {
    // One message in each of many sessions (the fleet bench's ticks); answers once every send resolved.
    Promise.all(message.ids.map((/** @type {string} */ id) => sessions.send(id, message.data))).then(
      (results) => report({ type: 'sent', request: message.request, sent: results.filter(Boolean).length }),
      (error) => report({ type: 'sent', request: message.request, error: String(error) }),
    );
  } else if (message.type === 'close') {
    void (async () => {
      await sessions.close();
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
      if (store instanceof RedisSessionStore) await store.close();
      process.disconnect();
    })();
  }
});

wss.on('listening', () => {
  const address = /** @type {import('node:net').AddressInfo} */ (wss.address());
  report({ type: 'listening', port: address.port });
});
