/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { HeartbeatMonitor } from '../../src/core/heartbeat.js';
import { FakeClock } from './fake-clock.js';

describe('HeartbeatMonitor', () => {
  let clock: FakeClock;
  let pings: number[];
  let deaths: number[];
  let monitor: HeartbeatMonitor;

  function make(interval = 1000, timeout = 500): HeartbeatMonitor {
    return new HeartbeatMonitor(
      clock,
      { interval, timeout },
      () => pings.push(clock.now()),
      () => deaths.push(clock.now()),
    );
  }

  beforeEach(() => {
    clock = new FakeClock(10_000);
    pings = [];
    deaths = [];
    monitor = make();
  });

  it('does nothing before start()', () => {
    clock.advance(10_000);
    expect(pings).to.deep.equal([]);
    expect(clock.pending).to.equal(0);
  });

  it('pings after `interval` with nothing received, not before', () => {
    monitor.start();
    clock.advance(999);
    expect(pings).to.deep.equal([]);
    clock.advance(1);
    expect(pings).to.deep.equal([11_000]);
  });

  it('received() postpones the ping to `interval` after the last frame', () => {
    monitor.start();
    clock.advance(600);
    monitor.received();
    clock.advance(900); // t = 11_500: 900 ms since the frame
    expect(pings).to.deep.equal([]);
    clock.advance(100); // t = 11_600
    expect(pings).to.deep.equal([11_600]);
  });

  it('frequent traffic keeps pings away entirely', () => {
    monitor.start();
    for (let i = 0; i < 20; i++) {
      clock.advance(400);
      monitor.received();
    }
    expect(pings).to.deep.equal([]);
    expect(deaths).to.deep.equal([]);
  });

  it('is dead `timeout` after a ping with no reply', () => {
    monitor.start();
    clock.advance(1000);
    expect(pings).to.have.length(1);
    clock.advance(499);
    expect(deaths).to.deep.equal([]);
    clock.advance(1);
    expect(deaths).to.deep.equal([11_500]);
    expect(clock.pending).to.equal(0);
    clock.advance(10_000);
    expect(pings).to.have.length(1);
    expect(deaths).to.have.length(1);
  });

  it('a reply within the timeout keeps it alive and the next ping comes `interval` after the reply', () => {
    monitor.start();
    clock.advance(1000); // ping at 11_000
    clock.advance(200);
    monitor.received(); // reply at 11_200
    clock.advance(300); // 11_500: reply check passes
    expect(deaths).to.deep.equal([]);
    clock.advance(699); // 12_199
    expect(pings).to.deep.equal([11_000]);
    clock.advance(1); // 12_200
    expect(pings).to.deep.equal([11_000, 12_200]);
    clock.advance(500);
    expect(deaths).to.deep.equal([12_700]);
  });

  it('keeps pinging as long as replies come', () => {
    monitor.start();
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      clock.advance(10);
      monitor.received();
    }
    expect(pings).to.have.length(5);
    expect(deaths).to.deep.equal([]);
  });

  it('stop() clears its timer: no ping, no death', () => {
    monitor.start();
    expect(clock.pending).to.equal(1);
    monitor.stop();
    expect(clock.pending).to.equal(0);
    clock.advance(10_000);
    expect(pings).to.deep.equal([]);
    expect(deaths).to.deep.equal([]);
  });

  it('stop() after a ping clears the reply timer', () => {
    monitor.start();
    clock.advance(1000);
    expect(pings).to.have.length(1);
    expect(clock.pending).to.equal(1);
    monitor.stop();
    expect(clock.pending).to.equal(0);
    clock.advance(10_000);
    expect(deaths).to.deep.equal([]);
  });

  it('start() again restarts the idle wait and keeps one timer', () => {
    monitor.start();
    clock.advance(800);
    monitor.start();
    expect(clock.pending).to.equal(1);
    clock.advance(800);
    expect(pings).to.deep.equal([]);
    clock.advance(200);
    expect(pings).to.deep.equal([11_800]);
  });

  it('stop() is safe when never started and twice', () => {
    monitor.stop();
    monitor.start();
    monitor.stop();
    monitor.stop();
    expect(clock.pending).to.equal(0);
  });

  it('stop() from inside the ping callback leaves no timer', () => {
    const m = new HeartbeatMonitor(
      clock,
      { interval: 100, timeout: 50 },
      () => m.stop(),
      () => deaths.push(clock.now()),
    );
    m.start();
    clock.advance(100);
    expect(clock.pending).to.equal(0);
    clock.advance(1000);
    expect(deaths).to.deep.equal([]);
  });

  it('never holds more than one timer', () => {
    monitor.start();
    for (let t = 0; t < 5000; t += 50) {
      clock.advance(50);
      if (t % 300 === 0) monitor.received();
      expect(clock.pending).to.be.at.most(1);
    }
  });

  describe('probe()', () => {
    it('pings at once and is dead `timeout` later without a reply', () => {
      monitor = make(5000, 500);
      monitor.start();
      clock.advance(1000);
      expect(monitor.probe()).to.equal(true);
      expect(pings).to.deep.equal([clock.now()]);
      clock.advance(500);
      expect(deaths).to.deep.equal([clock.now()]);
      expect(clock.pending).to.equal(0);
    });

    it('replaces the next regular ping: the idle wait starts over from its reply', () => {
      monitor = make(5000, 500);
      monitor.start(); // 10_000
      clock.advance(2000);
      monitor.probe(); // 12_000
      clock.advance(100);
      monitor.received(); // 12_100
      clock.advance(4999); // 17_099: the ping due at 15_000 is gone
      expect(pings).to.deep.equal([12_000]);
      clock.advance(1);
      expect(pings).to.deep.equal([12_000, 17_100]);
      expect(deaths).to.deep.equal([]);
    });

    it('does nothing while a ping is outstanding', () => {
      monitor.start();
      clock.advance(1000);
      expect(pings).to.have.length(1);
      clock.advance(100);
      expect(monitor.probe()).to.equal(false);
      expect(pings).to.have.length(1);
      clock.advance(400);
      expect(deaths).to.have.length(1);
    });

    it('does nothing within a second of a frame or of start()', () => {
      monitor = make(5000, 500);
      monitor.start();
      clock.advance(999);
      expect(monitor.probe()).to.equal(false);
      clock.advance(1);
      monitor.received();
      clock.advance(999);
      expect(monitor.probe()).to.equal(false);
      expect(pings).to.deep.equal([]);
      clock.advance(1);
      expect(monitor.probe()).to.equal(true);
      expect(clock.pending).to.equal(1);
    });
  });
});
