// @ts-check
// What users get from npm: the packed tarball holds only what they need, and a fresh project that
// installs it can import every entry and type-check code that uses each.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const project = mkdtempSync(join(tmpdir(), 'ws-connection-pack-'));
after(() => rmSync(project, { recursive: true, force: true }));

/** @param {string} command @param {string[]} args @param {string} cwd */
function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** @type {{ filename: string, files: { path: string }[] }} */
const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', project], root))[0];
const files = packed.files.map((file) => file.path);

test('the tarball holds only the builds, their types, the manifest and the docs', () => {
  const allowed = /^(dist\/.+\.(js|d\.ts)|custom-elements\.json|package\.json|README\.md|LICENSE)$/;
  assert.deepEqual(
    files.filter((file) => !allowed.test(file)),
    [],
  );
  for (const needed of [
    'dist/ws-connection.js',
    'dist/ws-connection.d.ts',
    'dist/ws-connection.min.js',
    'dist/share.min.js',
    'dist/ws-connection.iife.min.js',
    'dist/react.js',
    'dist/react.d.ts',
    'dist/core/index.js',
    'dist/core/index.d.ts',
    'dist/server/index.js',
    'dist/server/index.d.ts',
    'custom-elements.json',
  ]) {
    assert.ok(files.includes(needed), `${needed} is packed`);
  }
});

test('a fresh project installs it, imports each entry and type-checks code that uses each', () => {
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'throwaway', private: true, type: 'module' }));
  run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      `./${packed.filename}`,
      'react@19',
      '@types/react@19',
      'ws@8',
      '@types/ws@8',
      '@types/node@20',
    ],
    project,
  );

  writeFileSync(
    join(project, 'check.ts'),
    `import 'ws-connection';
import { WsConnection, WsConnectionError, type RetryEvent } from 'ws-connection';
import { WsConnection as WsConnectionReact } from 'ws-connection/react';
import { Connection, type Status } from 'ws-connection/core';
import { createElement } from 'react';

const element = document.createElement('ws-connection');
const typed: WsConnection = element;
typed.addEventListener('retry', (event: RetryEvent) => event.detail.delay.toFixed());
typed.addEventListener('statuschange', (event) => event.detail.status satisfies Status);
typed.addEventListener('message', (event) => event.data as unknown);
typed.retryDelay = 250;
const sent: boolean = typed.send({ hello: 'world' });

const connection = new Connection({ url: 'ws://127.0.0.1:1/', json: true }, { message: (data) => data });
const status: Status = connection.status;

const node = createElement(WsConnectionReact, {
  url: 'wss://example.com/live',
  json: true,
  onRetry: (event) => event.detail.attempt,
  onMessage: (event) => event.data as unknown,
});
export { sent, status, node, WsConnectionError };
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      files: ['check.ts'],
    }),
  );
  run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);

  // ws-connection/server is checked as a Node program: Node's types, no DOM.
  writeFileSync(
    join(project, 'server-check.ts'),
    `import { WebSocketServer } from 'ws';
import { MemorySessionStore, SessionServer, type EndReason, type SessionStore } from 'ws-connection/server';

const store: SessionStore = new MemorySessionStore();
const server = new SessionServer({ ttl: 1000, bufferLimit: 10, store, identify: (request) => request.headers.host ?? '' });
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (socket, request) => server.accept(socket, request));
server.on('session', (session) => {
  const id: string = session.id;
  session.on('message', (data: unknown) => session.send(data));
  session.on('end', (reason: EndReason) => console.log(id, reason));
});
export const closing: Promise<void> = server.close();
`,
  );
  writeFileSync(
    join(project, 'tsconfig.server.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      },
      files: ['server-check.ts'],
    }),
  );
  run(process.execPath, [tsc, '-p', 'tsconfig.server.json'], project);

  // And at run time in Node: the core works without a DOM; the element module imports without throwing.
  const output = run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const core = await import('ws-connection/core');
       const element = await import('ws-connection');
       const server = await import('ws-connection/server');
       console.log(typeof core.Connection, typeof element.WsConnection, typeof server.SessionServer);`,
    ],
    project,
  );
  assert.equal(output.trim(), 'function function function');
});
