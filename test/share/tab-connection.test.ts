import { expect } from '@open-wc/testing';
import { FakeSocket } from '../core/fake-socket.js';
import { FakeTabs, type Member } from './fake-relay-tabs.js';

/** Three tabs with one member each, connected and open through the first tab's socket. */
function threeOpenTabs() {
  const bus = new FakeTabs();
  const tabs = [bus.tab('a'), bus.tab('b'), bus.tab('c')];
  const members = tabs.map((tab) => tab.member());
  for (const member of members) member.link.connect();
  bus.deliver();
  FakeSocket.last.serverOpen();
  bus.deliver();
  for (const member of members) member.log.length = 0;
  return { bus, tabs, members };
}

const sent = (): string[] => FakeSocket.instances.flatMap((socket) => socket.sent.map(String));

describe('share="tabs": one socket for every tab (simulated tabs)', () => {
  it('three tabs, one socket, held by the first; every member opens', () => {
    const bus = new FakeTabs();
    const members = [bus.tab('a'), bus.tab('b'), bus.tab('c')].map((tab) => tab.member());
    for (const member of members) member.link.connect();
    bus.deliver();
    expect(FakeSocket.instances).to.have.length(1);
    expect(bus.leader).to.equal('a');
    FakeSocket.last.serverOpen();
    bus.deliver();
    for (const member of members) {
      expect(member.link.status).to.equal('open');
      expect(member.log).to.include('open');
    }
    expect(members[0]!.link.socket).to.equal(FakeSocket.last);
    expect(members[1]!.link.socket).to.equal(null);
  });

  it('a frame reaches every tab once', () => {
    const { bus, members } = threeOpenTabs();
    FakeSocket.last.serverMessage('hello');
    bus.deliver();
    for (const member of members) expect(member.log).to.deep.equal(['message:hello']);
  });

  it("a follower's sends reach the socket once, in order, and are let go once written", () => {
    const { bus, members } = threeOpenTabs();
    const [, b, c] = members as [Member, Member, Member];
    expect(b.link.send('b1')).to.equal(true);
    expect(c.link.send('c1')).to.equal(true);
    expect(b.link.send('b2')).to.equal(true);
    expect(b.link.queued).to.equal(2);
    bus.deliver();
    expect(sent()).to.deep.equal(['b1', 'c1', 'b2']);
    expect(b.link.queued).to.equal(0);
  });

  it('a follower joining an open group takes its status and hears open', () => {
    const { bus } = threeOpenTabs();
    const late = bus.tab('d').member();
    late.link.connect();
    bus.deliver();
    expect(late.log).to.deep.equal(['status:connecting<closed', 'status:open<connecting', 'open']);
    expect(FakeSocket.instances).to.have.length(1);
  });

  it('sends while reconnecting wait in each sender and are written once, in order, on the next open', () => {
    const { bus, members } = threeOpenTabs();
    const [a, b] = members as [Member, Member, Member];
    FakeSocket.last.serverClose(1006);
    bus.deliver();
    expect(b.link.status).to.equal('reconnecting');
    expect(b.link.send('b-offline-1')).to.equal(false);
    expect(a.link.send('a-offline')).to.equal(false);
    expect(b.link.send('b-offline-2')).to.equal(false);
    bus.deliver();
    bus.clock.advance(100);
    FakeSocket.last.serverOpen();
    bus.deliver();
    expect(FakeSocket.last.sent).to.deep.equal(['a-offline', 'b-offline-1', 'b-offline-2']);
    expect(b.log).to.include.members(['close:1006', 'retry:1', 'status:reconnecting<open', 'open']);
  });

  it('the holding tab vanishes: the next tab holds a new socket; members see a drop; unwritten sends go once', () => {
    const { bus, tabs, members } = threeOpenTabs();
    const [, b, c] = members as [Member, Member, Member];
    // Handed over but not yet delivered when the holder vanished.
    c.link.send('c-in-flight');
    tabs[0]!.vanish();
    bus.deliver();
    expect(bus.leader).to.equal('b');
    expect(FakeSocket.instances).to.have.length(2);
    for (const member of [b, c]) {
      expect(member.log).to.deep.equal(['close:1006', 'retry:1', 'status:reconnecting<open']);
    }
    FakeSocket.last.serverOpen();
    bus.deliver();
    for (const member of [b, c]) expect(member.log.slice(-2)).to.deep.equal(['status:open<reconnecting', 'open']);
    expect(FakeSocket.last.sent).to.deep.equal(['c-in-flight']);
    expect(b.link.socket).to.equal(FakeSocket.last);
  });

  it("the holding tab's last member leaves: its socket closes with 1000 and another tab takes over", () => {
    const { bus, members } = threeOpenTabs();
    const [a, b] = members as [Member, Member, Member];
    const first = FakeSocket.last;
    a.link.close();
    bus.deliver();
    expect(first.closeCalls).to.deep.equal([{ code: 1000, reason: '' }]);
    expect(a.log).to.deep.equal(['close:1000', 'status:closed<open']);
    expect(bus.leader).to.equal('b');
    FakeSocket.last.serverOpen();
    bus.deliver();
    expect(b.link.status).to.equal('open');
  });

  it("a follower's sends while not open count against the group's queue-limit: queue-full, and not-open at 0", () => {
    const bus = new FakeTabs();
    const holder = bus.tab('a').member({ queueLimit: 2 });
    const follower = bus.tab('b').member({ queueLimit: 2 });
    holder.link.connect();
    follower.link.connect();
    bus.deliver();
    expect(follower.link.send('one')).to.equal(false);
    expect(follower.link.send('two')).to.equal(false);
    expect(() => follower.link.send('three'))
      .to.throw()
      .with.property('code', 'queue-full');
    expect(follower.link.queued).to.equal(2);
    FakeSocket.last.serverOpen();
    bus.deliver();
    expect(FakeSocket.last.sent).to.deep.equal(['one', 'two']);

    const strict = new FakeTabs();
    strict.tab('c').member({ queueLimit: 0 }).link.connect();
    const none = strict.tab('d').member({ queueLimit: 0 });
    none.link.connect();
    strict.deliver();
    expect(() => none.link.send('x'))
      .to.throw()
      .with.property('code', 'not-open');
  });

  it('a message from an older holder is ignored once a newer one spoke', () => {
    const { bus, tabs, members } = threeOpenTabs();
    const [, , c] = members as [Member, Member, Member];
    const old = FakeSocket.last;
    tabs[0]!.vanish();
    bus.deliver();
    FakeSocket.last.serverOpen();
    bus.deliver();
    c.log.length = 0;
    // The old socket's handlers still run in a tab that froze instead of closing; its relay is gone with it.
    old.serverMessage('stale');
    bus.deliver();
    expect(c.log).to.deep.equal([]);
  });

  it('a follower with no members left stops taking part; when every tab leaves the socket closes', () => {
    const { bus, members } = threeOpenTabs();
    const [a, b, c] = members as [Member, Member, Member];
    b.link.close();
    c.link.close();
    bus.deliver();
    expect(FakeSocket.last.closeCalls).to.deep.equal([]);
    a.link.close();
    bus.deliver();
    expect(FakeSocket.last.closeCalls).to.deep.equal([{ code: 1000, reason: '' }]);
    expect(bus.leader).to.equal(undefined);
  });
});
