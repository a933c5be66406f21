// An echo server for <ws-connection resume>: every message comes back once, in order, across reconnects.
import { WebSocketServer } from 'ws';
import { SessionServer } from 'ws-connection/server';

const wss = new WebSocketServer({ port: Number(process.env.PORT ?? 8080) });
const sessions = new SessionServer({ ttl: 120_000, bufferLimit: 1000 });

wss.on('connection', (socket, request) => sessions.accept(socket, request));

sessions.on('session', (session) => {
  session.on('message', (data) => session.send(data));
  session.on('end', (reason) => console.log(`session ${session.id} ended: ${reason}`));
});

wss.on('listening', () => {
  const address = wss.address();
  const port = typeof address === 'string' ? address : address.port;
  console.log(`echo server on ws://localhost:${port}/`);
});

// Closes every socket (1001) and timer, so the process exits by itself.
process.once('SIGTERM', () => {
  sessions.close().then(() => wss.close());
});
