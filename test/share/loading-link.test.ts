/**
 * `LoadingLink` (src/loading-link.ts): what a shared element drives while the share chunk loads, with the chunk's
 * import and the clock in the test's hands.
 */
import { expect } from '@open-wc/testing';
import { Connection, type ConnectionCallbacks } from '../../src/core/connection.js';
import type { WsConnectionError } from '../../src/core/errors.js';
import { LazyModule } from '../../src/core/lazy-module.js';
import { defaultOptions } from '../../src/core/options.js';
import { LoadingLink } from '../../src/loading-link.js';
import { FakeClock } from '../core/fake-clock.js';

interface Import {
  resolve(): void;
  reject(error: Error): void;
}

function setup(options: Partial<typeof defaultOptions> = {}) {
  const imports: Import[] = [];
  const chunk = new LazyModule<unknown>(
    () =>
      new Promise<unknown>((resolve, reject) => {
        imports.push({ resolve: () => resolve({}), reject });
      }),
  );
  const clock = new FakeClock();
  const log: string[] = [];
  let cancelRetry = false;
  const callbacks: ConnectionCallbacks = {
    status: (status, previous) => log.push(`status:${status}<${previous}`),
    error: (error: WsConnectionError) => log.push(`error:${error.code}`),
    retry: (attempt, delay) => {
      log.push(`retry:${attempt}:${delay}`);
      return !cancelRetry;
    },
  };
  const own = new Connection({ url: 'ws://a.example.test/' });
  let arrivals = 0;
  const full = { ...defaultOptions, url: 'ws://a.example.test/', retryDelay: 100, retryJitter: 0, ...options };
  const link = new LoadingLink('key', full, callbacks, own, () => arrivals++, { chunk, clock, random: () => 0 });
  return {
    link,
    own,
    clock,
    log,
    imports,
    arrivals: () => arrivals,
    cancel: () => (cancelRetry = true),
  };
}

/** Lets the promise callbacks of a settled import run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve));

describe('LoadingLink', () => {
  it('reads connecting once asked; what is sent waits in the own queue; the chunk arriving calls loaded once', async () => {
    const { link, own, log, imports, arrivals } = setup();
    expect(imports).to.have.length(1);
    link.connect();
    expect(link.status).to.equal('connecting');
    expect(link.send('early')).to.equal(false);
    expect([link.queued, own.queued]).to.deep.equal([1, 1]);
    imports[0]!.resolve();
    await settle();
    expect(arrivals()).to.equal(1);
    expect(log).to.deep.equal(['status:connecting<closed']);
  });

  it('an idle link hands over as soon as the chunk is in, without a status of its own', async () => {
    const { link, log, imports, arrivals } = setup();
    imports[0]!.resolve();
    await settle();
    expect([arrivals(), link.status, log.length]).to.deep.equal([1, 'closed', 0]);
  });

  it('a chunk that fails is error chunk-load, then a retry after the backoff; max-retries spent: failed', async () => {
    const { link, clock, log, imports, arrivals } = setup({ maxRetries: 1 });
    link.connect();
    imports[0]!.reject(new Error('404'));
    await settle();
    expect(log).to.deep.equal([
      'status:connecting<closed',
      'error:chunk-load',
      'retry:1:100',
      'status:reconnecting<connecting',
    ]);
    expect(clock.pendingDelays).to.deep.equal([100]);
    clock.advance(100);
    expect(imports).to.have.length(2);
    imports[1]!.reject(new Error('404 again'));
    await settle();
    expect(log.slice(4)).to.deep.equal(['error:chunk-load', 'status:failed<reconnecting']);
    expect([link.status, clock.pending, arrivals()]).to.deep.equal(['failed', 0, 0]);
  });

  it('a retry the listener cancels goes to closed; close() while waiting stops the retry', async () => {
    const cancelled = setup();
    cancelled.cancel();
    cancelled.link.connect();
    cancelled.imports[0]!.reject(new Error('404'));
    await settle();
    expect(cancelled.log.slice(-1)).to.deep.equal(['status:closed<connecting']);
    expect(cancelled.clock.pending).to.equal(0);

    const closed = setup();
    closed.link.connect();
    closed.imports[0]!.reject(new Error('404'));
    await settle();
    closed.link.close();
    expect([closed.link.status, closed.clock.pending]).to.deep.equal(['closed', 0]);
    closed.clock.advance(10_000);
    expect(closed.imports).to.have.length(1);
  });

  it('handOver: the membership’s first status continues from the link’s, never repeating it', () => {
    const { link, log } = setup();
    link.connect();
    const statuses: string[] = [];
    const handed = link.handOver({ status: (status, previous) => statuses.push(`${status}<${previous}`) });
    handed.status?.('connecting', 'closed');
    handed.status?.('open', 'connecting');
    expect(statuses).to.deep.equal(['open<connecting']);
    expect(log).to.deep.equal(['status:connecting<closed']);

    const other = setup();
    other.link.connect();
    const after: string[] = [];
    const joinedOpen = other.link.handOver({ status: (status, previous) => after.push(`${status}<${previous}`) });
    joinedOpen.status?.('open', 'closed');
    expect(after).to.deep.equal(['open<connecting']);
  });
});
