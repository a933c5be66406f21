/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { backoffDelay, type BackoffOptions } from '../../src/core/backoff.js';
import { defaultOptions } from '../../src/core/options.js';

const zero = (): number => 0;
const almostOne = (): number => 0.9999999999;

function opts(overrides: Partial<BackoffOptions> = {}): BackoffOptions {
  return { retryDelay: 1000, retryMaxDelay: 30000, retryFactor: 2, retryJitter: 0, ...overrides };
}

describe('backoffDelay', () => {
  it('doubles per attempt with factor 2 and no jitter', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts(), zero));
    expect(delays).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000]);
  });

  it('grows by any factor ≥ 1 (factor 1 is constant, 1.5 grows)', () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, opts({ retryFactor: 1 }), zero))).to.deep.equal([1000, 1000, 1000]);
    expect([1, 2, 3].map((n) => backoffDelay(n, opts({ retryFactor: 1.5 }), zero))).to.deep.equal([1000, 1500, 2250]);
  });

  it('caps every delay at retryMaxDelay', () => {
    const o = opts({ retryMaxDelay: 5000 });
    expect([3, 4, 5, 50].map((n) => backoffDelay(n, o, zero))).to.deep.equal([4000, 5000, 5000, 5000]);
  });

  it('lets retryMaxDelay win when it is smaller than retryDelay', () => {
    const o = opts({ retryDelay: 10000, retryMaxDelay: 3000 });
    expect(backoffDelay(1, o, zero)).to.equal(3000);
    expect(backoffDelay(2, o, zero)).to.equal(3000);
  });

  it('retryMaxDelay 0 gives 0', () => {
    expect(backoffDelay(1, opts({ retryMaxDelay: 0 }), zero)).to.equal(0);
  });

  it('stays at the cap for a huge attempt number (no Infinity/NaN)', () => {
    const d = backoffDelay(100000, opts(), zero);
    expect(d).to.equal(30000);
  });

  it('retryDelay 0 with a huge attempt gives 0, not NaN', () => {
    const d = backoffDelay(100000, opts({ retryDelay: 0 }), almostOne);
    expect(Number.isNaN(d)).to.equal(false);
    expect(d).to.equal(0);
    expect(backoffDelay(5000, opts({ retryDelay: 0, retryJitter: 0.5 }), zero)).to.equal(0);
  });

  it('random() = 0 gives the full delay d (upper bound)', () => {
    const o = opts({ retryJitter: 0.5 });
    expect(backoffDelay(1, o, zero)).to.equal(1000);
    expect(backoffDelay(3, o, zero)).to.equal(4000);
  });

  it('random() → 1 gives d * (1 - jitter) (lower bound), never below it', () => {
    const o = opts({ retryJitter: 0.5 });
    expect(backoffDelay(1, o, almostOne)).to.equal(500);
    expect(backoffDelay(3, o, almostOne)).to.equal(2000);
    expect(backoffDelay(1, opts({ retryJitter: 1 }), almostOne)).to.equal(0);
    expect(backoffDelay(2, opts({ retryJitter: 0.25 }), almostOne)).to.equal(1500);
  });

  it('is uniform between the bounds (random() = 0.5 gives the middle)', () => {
    expect(backoffDelay(1, opts({ retryJitter: 0.5 }), () => 0.5)).to.equal(750);
    expect(backoffDelay(2, opts({ retryJitter: 1 }), () => 0.25)).to.equal(1500);
  });

  it('stays within [d(1-j), d] for many random values', () => {
    const o = opts({ retryJitter: 0.3 });
    for (let i = 0; i < 100; i++) {
      const r = i / 100;
      for (const attempt of [1, 2, 5, 9]) {
        const d = Math.min(30000, 1000 * 2 ** (attempt - 1));
        const delay = backoffDelay(attempt, o, () => r);
        expect(delay, `attempt ${attempt} random ${r}`).to.be.within(Math.floor(d * 0.7), d);
      }
    }
  });

  it('jitter 0 is exact whatever random() returns', () => {
    for (const r of [0, 0.1, 0.5, 0.9999999]) {
      expect(backoffDelay(2, opts({ retryJitter: 0 }), () => r)).to.equal(2000);
    }
  });

  it('applies jitter after the cap', () => {
    expect(backoffDelay(20, opts({ retryJitter: 0.5 }), almostOne)).to.equal(15000);
  });

  it('returns whole milliseconds', () => {
    const d = backoffDelay(1, opts({ retryDelay: 1001, retryJitter: 0.5 }), () => 0.3);
    expect(Number.isInteger(d)).to.equal(true);
  });

  it('uses the contract defaults (1000, 30000, 2, 0.5)', () => {
    expect(defaultOptions.retryDelay).to.equal(1000);
    expect(defaultOptions.retryMaxDelay).to.equal(30000);
    expect(defaultOptions.retryFactor).to.equal(2);
    expect(defaultOptions.retryJitter).to.equal(0.5);
    expect(backoffDelay(1, defaultOptions, almostOne)).to.equal(500);
  });
});
