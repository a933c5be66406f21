// @ts-check
// docs/server.md's echo server is examples/server/echo-server.js (test/node/docs.test.js checks the block is the
// file, verbatim), and it works: run as its own process, it echoes over the protocol and exits by itself on
// SIGTERM. `npm run build` writes dist/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ProtocolClient } from '../server/protocol-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('the echo server echoes each message once, in order, and exits on SIGTERM', async () => {
  const child = spawn(process.execPath, ['examples/server/echo-server.js'], {
    cwd: root,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  try {
    const url = await new Promise((resolve, reject) => {
      let output = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (/** @type {string} */ chunk) => {
        output += chunk;
        const match = /ws:\/\/localhost:\d+\//.exec(output);
        if (match) resolve(match[0]);
      });
      child.once('exit', (code) => reject(new Error(`the example exited (${code}) before listening`)));
    });
    const { client, welcome } = await ProtocolClient.open(url);
    assert.equal(welcome.resumed, false);
    client.message(1, 'hello');
    client.message(2, { n: 2 });
    assert.deepEqual(await client.data(2), [
      { t: 'm', s: 1, d: 'hello' },
      { t: 'm', s: 2, d: { n: 2 } },
    ]);
    child.kill('SIGTERM');
    assert.equal((await client.closed).code, 1001);
    const [code] = await exited;
    assert.equal(code, 0, 'the process exits by itself once the sessions are closed');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
