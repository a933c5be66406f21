/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { FakeClock } from './fake-clock.js';

describe('FakeClock (test helper)', () => {
  it('starts at the given time and only moves on advance()', () => {
    const clock = new FakeClock(100);
    expect(clock.now()).to.equal(100);
    clock.advance(50);
    expect(clock.now()).to.equal(150);
  });

  it('fires due timers in time order, ties in set order, with now() at each due time', () => {
    const clock = new FakeClock();
    const log: string[] = [];
    clock.setTimeout(() => log.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => log.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => log.push(`b@${clock.now()}`), 10);
    expect(clock.pending).to.equal(3);
    clock.advance(9);
    expect(log).to.deep.equal([]);
    clock.advance(21);
    expect(log).to.deep.equal(['a@10', 'b@10', 'c@30']);
    expect(clock.pending).to.equal(0);
  });

  it('fires timers set by callbacks when they fall inside the window', () => {
    const clock = new FakeClock();
    const log: number[] = [];
    clock.setTimeout(() => {
      log.push(clock.now());
      clock.setTimeout(() => log.push(clock.now()), 5);
      clock.setTimeout(() => log.push(clock.now()), 500);
    }, 10);
    clock.advance(20);
    expect(log).to.deep.equal([10, 15]);
    expect(clock.pending).to.equal(1);
  });

  it('clearTimeout cancels, also from inside another timer', () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const b = clock.setTimeout(() => log.push('b'), 20);
    clock.setTimeout(() => {
      log.push('a');
      clock.clearTimeout(b);
    }, 10);
    clock.advance(100);
    expect(log).to.deep.equal(['a']);
    expect(clock.pending).to.equal(0);
  });

  it('treats 0 and negative delays as due now', () => {
    const clock = new FakeClock();
    let fired = 0;
    clock.setTimeout(() => fired++, 0);
    clock.setTimeout(() => fired++, -5);
    clock.advance(0);
    expect(fired).to.equal(2);
  });

  it('suspend() moves time on without firing; overdue timers then fire late, time never going back', () => {
    const clock = new FakeClock(0);
    const log: string[] = [];
    clock.setTimeout(() => log.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => log.push(`b@${clock.now()}`), 50);
    clock.suspend(100);
    expect(log).to.deep.equal([]);
    expect(clock.now()).to.equal(100);
    clock.tick();
    expect(log).to.deep.equal(['a@100', 'b@100']);
    expect(clock.now()).to.equal(100);
  });
});
