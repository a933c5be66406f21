/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { WsConnectionError } from '../../src/core/errors.js';
import { SendQueue, type SocketData } from '../../src/core/send-queue.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('SendQueue', () => {
  it('starts empty', () => {
    expect(new SendQueue(5).size).to.equal(0);
  });

  it('drains in order and empties', () => {
    const q = new SendQueue(10);
    q.push('a');
    q.push('b');
    q.push('c');
    expect(q.size).to.equal(3);
    const out: SocketData[] = [];
    q.drain((d) => out.push(d));
    expect(out).to.deep.equal(['a', 'b', 'c']);
    expect(q.size).to.equal(0);
    const again: SocketData[] = [];
    q.drain((d) => again.push(d));
    expect(again).to.deep.equal([]);
  });

  it('holds binary data by identity', () => {
    const q = new SendQueue(10);
    const buf = new ArrayBuffer(4);
    const view = new Uint8Array([1, 2]);
    q.push(buf);
    q.push(view);
    const out: SocketData[] = [];
    q.drain((d) => out.push(d));
    expect(out[0]).to.equal(buf);
    expect(out[1]).to.equal(view);
  });

  it('throws queue-full at the limit and holds nothing more', () => {
    const q = new SendQueue(2);
    q.push('a');
    q.push('b');
    const error = thrown(() => q.push('c'));
    expect(error).to.be.instanceOf(WsConnectionError);
    expect(error).to.be.instanceOf(Error);
    expect((error as WsConnectionError).code).to.equal('queue-full');
    expect(q.size).to.equal(2);
    const out: SocketData[] = [];
    q.drain((d) => out.push(d));
    expect(out).to.deep.equal(['a', 'b']);
  });

  it('accepts again once drained', () => {
    const q = new SendQueue(1);
    q.push('a');
    expect(() => q.push('b')).to.throw(WsConnectionError);
    q.drain(() => {});
    q.push('c');
    expect(q.size).to.equal(1);
  });

  it('limit 0 throws not-open and holds nothing', () => {
    const q = new SendQueue(0);
    const error = thrown(() => q.push('a'));
    expect(error).to.be.instanceOf(WsConnectionError);
    expect((error as WsConnectionError).code).to.equal('not-open');
    expect(q.size).to.equal(0);
  });

  it('keeps the failing item and those after it when send throws', () => {
    const q = new SendQueue(10);
    for (const d of ['a', 'b', 'c', 'd']) q.push(d);
    const out: SocketData[] = [];
    const boom = new Error('boom');
    expect(() =>
      q.drain((d) => {
        if (d === 'c') throw boom;
        out.push(d);
      }),
    ).to.throw(boom);
    expect(out).to.deep.equal(['a', 'b']);
    expect(q.size).to.equal(2);
    const rest: SocketData[] = [];
    q.drain((d) => rest.push(d));
    expect(rest).to.deep.equal(['c', 'd']);
  });

  it('keeps everything when the first send throws', () => {
    const q = new SendQueue(10);
    q.push('a');
    q.push('b');
    expect(() =>
      q.drain(() => {
        throw new Error('x');
      }),
    ).to.throw('x');
    expect(q.size).to.equal(2);
  });

  it('lowering the limit keeps held items but refuses new ones', () => {
    const q = new SendQueue(5);
    for (const d of ['a', 'b', 'c', 'd']) q.push(d);
    q.limit = 2;
    expect(q.size).to.equal(4);
    expect((thrown(() => q.push('e')) as WsConnectionError).code).to.equal('queue-full');
    expect(q.size).to.equal(4);
    const out: SocketData[] = [];
    q.drain((d) => out.push(d));
    expect(out).to.deep.equal(['a', 'b', 'c', 'd']);
  });

  it('lowering the limit to 0 keeps held items and then says not-open', () => {
    const q = new SendQueue(5);
    q.push('a');
    q.limit = 0;
    expect((thrown(() => q.push('b')) as WsConnectionError).code).to.equal('not-open');
    expect(q.size).to.equal(1);
  });

  it('raising the limit lets more in', () => {
    const q = new SendQueue(1);
    q.push('a');
    q.limit = 3;
    q.push('b');
    q.push('c');
    expect(q.size).to.equal(3);
  });
});
