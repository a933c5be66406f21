// @ts-check
// A GraphQL server speaking graphql-ws (the graphql-transport-ws subprotocol) on Node's `ws`.
// Run: node examples/graphql/server.js, then open http://127.0.0.1:4000/ after `npm run build`.
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
server.listen(4000, '127.0.0.1', () => console.log('GraphQL over WebSocket: http://127.0.0.1:4000/'));
