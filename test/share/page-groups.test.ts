import { expect } from '@open-wc/testing';
import type { ConnectionCallbacks } from '../../src/core/connection.js';
import type { WsConnectionError } from '../../src/core/errors.js';
import { defaultOptions, type ConnectionOptions } from '../../src/core/options.js';
import { SharedLink } from '../../src/share/shared-link.js';
import { pageGroups } from '../../src/share/share-registry.js';
import { FakeClock } from '../core/fake-clock.js';
import { FakeNetwork } from '../core/fake-network.js';
import { FakeSocket } from '../core/fake-socket.js';
import { FakeWake } from '../core/fake-wake.js';

const URL = 'ws://a.example.test/live';
const KEY = 'key';

interface Member {
  link: SharedLink;
  /** Every callback in order, as `status:new<old`, `open`, `close:code:clean`, `error:code`, `retry:n`, `message:data`. */
  log: string[];
  cancelRetry: boolean;
}

function setup() {
  FakeSocket.reset();
  const clock = new FakeClock(1_000_000);
  const groups = pageGroups({
    WebSocket: FakeSocket,
    clock,
    random: () => 0,
    network: new FakeNetwork(),
    wake: new FakeWake(),
  });
  const warnings: string[] = [];
  const member = (options: Partial<ConnectionOptions> = {}): Member => {
    const log: string[] = [];
    const entry: Member = { link: undefined as unknown as SharedLink, log, cancelRetry: false };
    const callbacks: ConnectionCallbacks = {
      status: (status, previous) => log.push(`status:${status}<${previous}`),
      open: () => log.push('open'),
      close: (close) => log.push(`close:${close.code}:${close.wasClean}`),
      error: (error: WsConnectionError) => log.push(`error:${error.code}`),
      retry: (attempt) => {
        log.push(`retry:${attempt}`);
        return !entry.cancelRetry;
      },
      message: (data) => log.push(`message:${JSON.stringify(data)}`),
    };
    entry.link = new SharedLink(KEY, { ...defaultOptions, url: URL, ...options }, callbacks, groups.lookup);
    return entry;
  };
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  return { clock, groups, member, warnings, restoreWarn: () => (console.warn = originalWarn) };
}

describe('share="page": one connection for many elements', () => {
  let restore: () => void = () => undefined;
  afterEach(() => restore());

  function start() {
    const s = setup();
    restore = s.restoreWarn;
    return s;
  }

  it('members of one key use one socket; each hears every event in order', () => {
    const { member } = start();
    const a = member();
    const b = member();
    a.link.connect();
    b.link.connect();
    expect(FakeSocket.instances).to.have.length(1);
    expect(b.log).to.deep.equal(['status:connecting<closed']);
    FakeSocket.last.serverOpen();
    FakeSocket.last.serverMessage('hi');
    for (const m of [a, b]) {
      expect(m.log).to.deep.equal(['status:connecting<closed', 'status:open<connecting', 'open', 'message:"hi"']);
      expect(m.link.status).to.equal('open');
      expect(m.link.socket).to.equal(FakeSocket.last);
    }
  });

  it('a member joining an open group takes its status and hears open at once', () => {
    const { member } = start();
    const a = member();
    a.link.connect();
    FakeSocket.last.serverOpen();
    const b = member();
    b.link.connect();
    expect(b.log).to.deep.equal(['status:open<closed', 'open']);
    expect(FakeSocket.instances).to.have.length(1);
  });

  it('a member that leaves hears a clean close and closed; the socket stays for the others; the last one closes it', () => {
    const { member, groups } = start();
    const [a, b] = [member(), member()];
    a.link.connect();
    b.link.connect();
    const socket = FakeSocket.last;
    socket.serverOpen();
    a.log.length = b.log.length = 0;
    a.link.close();
    expect(a.log).to.deep.equal(['close:1000:true', 'status:closed<open']);
    expect(a.link.status).to.equal('closed');
    expect(socket.closeCalls).to.deep.equal([]);
    expect(b.log).to.deep.equal([]);
    b.link.close();
    expect(socket.closeCalls).to.deep.equal([{ code: 1000, reason: '' }]);
    expect(groups.size).to.equal(0);
    expect(b.log).to.deep.equal(['close:1000:true', 'status:closed<open']);
  });

  it('json is per member: one parses, the other gets the text; a frame that is not JSON is a parse error for the json one only', () => {
    const { member } = start();
    const parsed = member({ json: true });
    const raw = member();
    parsed.link.connect();
    raw.link.connect();
    FakeSocket.last.serverOpen();
    FakeSocket.last.serverMessage('{"n":1}');
    FakeSocket.last.serverMessage('not json');
    expect(parsed.log.slice(-2)).to.deep.equal(['message:{"n":1}', 'error:parse']);
    expect(raw.log.slice(-2)).to.deep.equal(['message:"{\\"n\\":1}"', 'message:"not json"']);
  });

  it("sends serialize by the sender's json; the shared queue flushes once, in order, on open", () => {
    const { member } = start();
    const a = member({ json: true });
    const b = member();
    a.link.connect();
    b.link.connect();
    expect(a.link.send({ from: 'a' })).to.equal(false);
    expect(b.link.send('from b')).to.equal(false);
    expect(a.link.queued).to.equal(2);
    expect(b.link.queued).to.equal(2);
    FakeSocket.last.serverOpen();
    expect(FakeSocket.last.sent).to.deep.equal(['{"from":"a"}', 'from b']);
    expect(b.link.send('now')).to.equal(true);
  });

  it('what a member sent before joining is held, then goes to the group when it joins', () => {
    const { member } = start();
    const a = member();
    a.link.connect();
    FakeSocket.last.serverOpen();
    const b = member();
    expect(b.link.send('early')).to.equal(false);
    expect(b.link.queued).to.equal(1);
    b.link.connect();
    expect(FakeSocket.last.sent).to.deep.equal(['early']);
  });

  it('a joiner with different group options gets one warning naming them; the group keeps its own', () => {
    const { member, warnings, clock } = start();
    const a = member({ retryDelay: 100 });
    const b = member({ retryDelay: 50, heartbeatInterval: 1000 });
    a.link.connect();
    b.link.connect();
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('retry-delay').and.contain('heartbeat-interval');
    FakeSocket.last.serverOpen();
    FakeSocket.last.serverClose(1006);
    expect(b.log.at(-2)).to.equal('retry:1');
    clock.advance(99);
    expect(FakeSocket.instances).to.have.length(1);
    clock.advance(1);
    expect(FakeSocket.instances).to.have.length(2);
  });

  it('connect() and reconnect() act on the group', () => {
    const { member } = start();
    const [a, b] = [member(), member()];
    a.link.connect();
    b.link.connect();
    FakeSocket.last.serverOpen();
    b.link.reconnect();
    expect(FakeSocket.instances).to.have.length(2);
    expect(a.log).to.include('close:1000:false');
    expect(a.link.status).to.equal('connecting');
  });

  it('a member that cancels its retry leaves (no second close); the group retries for the rest', () => {
    const { member } = start();
    const [a, b] = [member(), member()];
    a.cancelRetry = true;
    a.link.connect();
    b.link.connect();
    FakeSocket.last.serverOpen();
    a.log.length = 0;
    FakeSocket.last.serverClose(1006);
    expect(a.log).to.deep.equal(['close:1006:false', 'retry:1', 'status:closed<open']);
    expect(b.link.status).to.equal('reconnecting');
  });

  it('when every member cancels its retry, the group stops retrying, all go closed, and the key starts anew later', () => {
    const { member, groups, clock } = start();
    const [a, b] = [member(), member()];
    a.cancelRetry = b.cancelRetry = true;
    a.link.connect();
    b.link.connect();
    FakeSocket.last.serverOpen();
    FakeSocket.last.serverClose(1006);
    for (const m of [a, b]) {
      expect(m.log.slice(-3)).to.deep.equal(['close:1006:false', 'retry:1', 'status:closed<open']);
      expect(m.link.status).to.equal('closed');
    }
    expect(groups.size).to.equal(0);
    clock.advance(60_000);
    expect(FakeSocket.instances).to.have.length(1);
    a.link.connect();
    expect(FakeSocket.instances).to.have.length(2);
  });

  it('different keys never share', () => {
    const { groups } = start();
    const callbacks: ConnectionCallbacks = {};
    const one = new SharedLink('one', { ...defaultOptions, url: URL }, callbacks, groups.lookup);
    const two = new SharedLink('two', { ...defaultOptions, url: URL }, callbacks, groups.lookup);
    one.connect();
    two.connect();
    expect(FakeSocket.instances).to.have.length(2);
  });
});
