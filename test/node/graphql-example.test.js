// @ts-check
// The graphql-ws recipe's server (examples/graphql/server.js, shown whole in docs/application-protocols.md) runs:
// it serves the recipe's page and bundle, and graphql-ws's own client runs a subscription through it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

test('the graphql-ws recipe server serves the page and runs a subscription', async (t) => {
  const server = spawn(process.execPath, ['examples/graphql/server.js'], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => server.kill());
  const [line] = /** @type {[Buffer]} */ (await once(server.stdout, 'data'));
  const origin = /http:\/\/127\.0\.0\.1:\d+/.exec(String(line))?.[0];
  assert.ok(origin, `the server prints its address: ${String(line)}`);

  const page = await fetch(`${origin}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<ws-connection id="gql" url="\/graphql" protocols="graphql-transport-ws" json>/);
  assert.equal((await fetch(`${origin}/ws-connection.min.js`)).status, 200);

  const client = createClient({ url: `${origin.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket });
  t.after(() => client.dispose());
  /** @type {unknown[]} */
  const values = [];
  for await (const result of client.iterate({ query: 'subscription { countdown(from: 2, every: 1) }' })) {
    values.push(result.data?.countdown);
  }
  assert.deepEqual(values, [2, 1, 0]);
});
