// @ts-check
// A GraphQL server speaking graphql-ws (the graphql-transport-ws subprotocol) on Node's `ws`.
// Run it from the repository after `npm run build`: node examples/graphql/server.js, then open the address it prints.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { schema } from './schema.js';

const files = {
  '/': ['examples/graphql/index.html', 'text/html'],
  '/ws-connection.min.js': ['dist/ws-connection.min.js', 'text/javascript'],
};

const server = createServer(async (request, response) => {
  const file = files[/** @type {keyof typeof files} */ (request.url ?? '/')];
  if (!file) return void response.writeHead(404).end();
  response.writeHead(200, { 'content-type': file[1] }).end(await readFile(file[0]));
});
const wss = new WebSocketServer({ server, path: '/graphql' });
useServer({ schema }, wss);
const port = Number(process.env.PORT ?? 4000);
server.listen(port, '127.0.0.1', () => {
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(`GraphQL over WebSocket: http://127.0.0.1:${address.port}/`);
});
