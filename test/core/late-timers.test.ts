/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { lateTimerClock } from '../../src/core/late-timers.js';
import { FakeClock } from './fake-clock.js';

describe('lateTimerClock', () => {
  let clock: FakeClock;
  let log: string[];

  beforeEach(() => {
    clock = new FakeClock(1000);
    log = [];
  });

  function make(): ReturnType<typeof lateTimerClock> {
    return lateTimerClock(clock, (lateBy) => log.push(`late:${lateBy}`));
  }

  it('reports nothing for a timer on time', () => {
    make().setTimeout(() => log.push('fired'), 100);
    clock.advance(100);
    expect(log).to.deep.equal(['fired']);
  });

  it('reports how late a timer fired, after its callback ran', () => {
    make().setTimeout(() => log.push(`fired@${clock.now()}`), 100);
    clock.suspend(5000);
    clock.tick();
    expect(log).to.deep.equal(['fired@6000', 'late:4900']);
  });

  it('measures a timer of 0 or a bad delay from when it was set', () => {
    const late = make();
    late.setTimeout(() => log.push('zero'), 0);
    late.setTimeout(() => log.push('nan'), Number.NaN);
    clock.suspend(300);
    clock.tick();
    expect(log).to.deep.equal(['zero', 'late:300', 'nan', 'late:300']);
  });

  it('clearTimeout and now pass through', () => {
    const late = make();
    const handle = late.setTimeout(() => log.push('fired'), 100);
    late.clearTimeout(handle);
    clock.suspend(500);
    clock.tick();
    expect(log).to.deep.equal([]);
    expect(late.now()).to.equal(1500);
    expect(clock.pending).to.equal(0);
  });
});
