// @ts-check
// Server-side rendering imports the element in Node: that must touch no browser global.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const browserGlobals = ['window', 'document', 'navigator', 'location', 'customElements', 'WebSocket', 'localStorage'];

/** Replaces each browser global with a getter that records the access, for the duration of `run`. */
async function touchedDuring(/** @type {() => Promise<unknown>} */ run) {
  /** @type {string[]} */
  const touched = [];
  const saved = browserGlobals.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)]);
  for (const name of browserGlobals) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        return undefined;
      },
      set() {
        touched.push(name);
      },
    });
  }
  try {
    await run();
  } finally {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, /** @type {string} */ (name), descriptor);
      else delete (/** @type {Record<string, unknown>} */ (globalThis)[/** @type {string} */ (name)]);
    }
  }
  return touched;
}

// Lit's Node build installs its own DOM shim (customElements, HTMLElement) for SSR when first
// imported; load it before the traps go up, so they see only this package's own code.
await import('@lit/reactive-element');

test('importing the element class in Node touches no browser global', async () => {
  const touched = await touchedDuring(async () => {
    const module = await import('../../dist/ws-connection-element.js');
    assert.equal(typeof module.WsConnection, 'function');
  });
  assert.deepEqual(touched, []);
});

test('the registering module only looks for a registry, and tolerates none', async () => {
  const touched = await touchedDuring(async () => {
    const module = await import('../../dist/ws-connection.js');
    assert.equal(typeof module.WsConnection.define, 'function');
  });
  assert.deepEqual(touched, ['customElements']);
});

test('importing the core in Node touches no browser global', async () => {
  const touched = await touchedDuring(async () => {
    const core = await import('../../dist/core/index.js');
    assert.equal(typeof core.Connection, 'function');
  });
  assert.deepEqual(touched, []);
});

test('importing ws-connection/server in Node touches no browser global and starts nothing', async () => {
  const touched = await touchedDuring(async () => {
    const server = await import('../../dist/server/index.js');
    assert.equal(typeof server.SessionServer, 'function');
    assert.equal(typeof server.MemorySessionStore, 'function');
  });
  assert.deepEqual(touched, []);
});

test('define() without a registry (Node) does nothing and does not throw', async () => {
  const { WsConnection } = await import('../../dist/ws-connection-element.js');
  assert.doesNotThrow(() => WsConnection.define('ws-connection', undefined));
});

test('importing the tab election in Node touches no browser global; its support check is feature detection', async () => {
  const touched = await touchedDuring(async () => {
    const module = await import('../../dist/share/tab-election.js');
    assert.equal(typeof module.TabElection, 'function');
  });
  assert.deepEqual(touched, []);
  // Feature detection, not a Node check: Node has BroadcastChannel and MessageChannel, and newer releases
  // have `navigator.locks` too.
  const { tabsSupported, hostTabEnvironment } = await import('../../dist/share/tab-election.js');
  const host = /** @type {{ navigator?: { locks?: { request?: unknown } } }} */ (globalThis);
  const hasLocks = typeof host.navigator?.locks?.request === 'function';
  assert.equal(tabsSupported(), hasLocks);
  assert.equal(hostTabEnvironment() === undefined, !hasLocks);
});
