/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { LazyModule } from '../../src/core/lazy-module.js';

/** An importer that answers each call with the next of `outcomes`, recording what it was asked for. */
function importer(outcomes: (object | Error)[]): { calls: string[]; load: (what: string) => Promise<unknown> } {
  const calls: string[] = [];
  return {
    calls,
    load: (what) => {
      calls.push(what);
      const outcome = outcomes.shift();
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
    },
  };
}

const CHUNK = 'https://cdn.example/npm/ws-connection/dist/share.min.js';

describe('LazyModule', () => {
  it('imports once, shares the import between concurrent callers, and keeps the module as current', async () => {
    const module = { name: 'share' };
    const network = importer([module]);
    const lazy = new LazyModule(() => network.load('specifier') as Promise<typeof module>);
    expect(lazy.current).to.equal(undefined);
    const [first, second] = await Promise.all([lazy.load(), lazy.load()]);
    expect(first).to.equal(module);
    expect(second).to.equal(module);
    expect(await lazy.load()).to.equal(module);
    expect(lazy.current).to.equal(module);
    expect(network.calls).to.deep.equal(['specifier']);
  });

  it('after a failure that names the URL (Chromium, Firefox), retries that URL with a new query each time', async () => {
    const module = { name: 'share' };
    const network = importer([
      new TypeError(`Failed to fetch dynamically imported module: ${CHUNK}`),
      new TypeError(`error loading dynamically imported module: ${CHUNK}?retry=1`),
      module,
    ]);
    const lazy = new LazyModule(() => network.load('specifier') as Promise<typeof module>, {
      importUrl: network.load,
    });
    const failures: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++)
      await lazy.load().catch((error: unknown) => failures.push(String(error)));
    expect(failures).to.have.length(2);
    expect(lazy.current).to.equal(undefined);
    expect(await lazy.load()).to.equal(module);
    expect(network.calls).to.deep.equal(['specifier', `${CHUNK}?retry=1`, `${CHUNK}?retry=2`]);
  });

  it('after an error the chunk threw itself, even one with a URL in it, imports the specifier again', async () => {
    const module = { name: 'share' };
    const network = importer([new TypeError(`Cannot read ${CHUNK}`), module]);
    const lazy = new LazyModule(() => network.load('specifier') as Promise<typeof module>, {
      importUrl: network.load,
    });
    await lazy.load().catch(() => undefined);
    expect(await lazy.load()).to.equal(module);
    expect(network.calls).to.deep.equal(['specifier', 'specifier']);
  });

  it('after a failure that names no URL (WebKit), imports the specifier again', async () => {
    const module = { name: 'share' };
    const network = importer([new TypeError('Importing a module script failed.'), module]);
    const lazy = new LazyModule(() => network.load('specifier') as Promise<typeof module>, {
      importUrl: network.load,
    });
    const failure = await lazy.load().then(
      () => 'loaded',
      (error: unknown) => String(error),
    );
    expect(failure).to.equal('TypeError: Importing a module script failed.');
    expect(await lazy.load()).to.equal(module);
    expect(network.calls).to.deep.equal(['specifier', 'specifier']);
  });
});
