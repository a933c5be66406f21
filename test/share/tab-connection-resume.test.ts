import { expect } from '@open-wc/testing';
import { FakeSocket } from '../core/fake-socket.js';
import { FakeTabs, type Member } from './fake-relay-tabs.js';

const welcome = (socket: FakeSocket, session: string, resumed: boolean, ack = 0): void =>
  socket.serverMessage(JSON.stringify({ t: 'welcome', session, resumed, ack }));
const data = (socket: FakeSocket, s: number, d: unknown): void =>
  socket.serverMessage(JSON.stringify({ t: 'm', s, d }));

/** Three tabs sharing one resumed session through tab a's socket. */
function threeTabsInSession() {
  const bus = new FakeTabs();
  const tabs = [bus.tab('a'), bus.tab('b'), bus.tab('c')];
  const members = tabs.map((tab) => tab.member({ resume: true }));
  for (const member of members) member.link.connect();
  bus.deliver();
  FakeSocket.last.serverOpen();
  welcome(FakeSocket.last, 'S1', false);
  bus.deliver();
  for (const member of members) member.log.length = 0;
  return { bus, tabs, members: members as [Member, Member, Member] };
}

describe('share="tabs" with resume: one session for every tab (simulated tabs)', () => {
  it('every tab knows the session; a follower’s messages are numbered by the holder and counted until acknowledged', () => {
    const { bus, members } = threeTabsInSession();
    const [a, b, c] = members;
    expect(b.link.session).to.equal('S1');
    expect(c.link.session).to.equal('S1');
    b.link.send('b1');
    bus.deliver();
    expect(FakeSocket.last.sent.slice(1)).to.deep.equal(['{"t":"m","s":1,"d":"b1"}']);
    expect(b.link.queued).to.equal(1);
    FakeSocket.last.serverMessage('{"t":"a","ack":1}');
    bus.deliver();
    expect(b.link.queued).to.equal(0);
    expect(a.link.queued).to.equal(0);
  });

  it('the holder vanishes: the next tab resumes the same session, replays what the server lacks, and dedupes', () => {
    const { bus, tabs, members } = threeTabsInSession();
    const [a, b, c] = members;
    a.link.send('a1');
    b.link.send('b1');
    c.link.send('c1');
    bus.deliver();
    const first = FakeSocket.last;
    expect(first.sent.slice(1)).to.deep.equal([
      '{"t":"m","s":1,"d":"a1"}',
      '{"t":"m","s":2,"d":"b1"}',
      '{"t":"m","s":3,"d":"c1"}',
    ]);
    data(first, 1, 'x');
    data(first, 2, 'y');
    first.serverMessage('{"t":"a","ack":1}');
    bus.deliver();
    // In flight when the holder vanished: handed over, not yet written.
    c.link.send('c2');
    tabs[0]!.vanish();
    bus.deliver();
    expect(bus.leader).to.equal('b');
    const next = FakeSocket.last;
    expect(next).to.not.equal(first);
    next.serverOpen();
    expect(next.sent).to.deep.equal(['{"t":"hello","v":1,"session":"S1","ack":2}']);
    welcome(next, 'S1', true, 2);
    // The server had a1 and b1; c1 goes again with its number, then c2, new.
    bus.deliver();
    expect(next.sent.slice(1)).to.deep.equal(['{"t":"m","s":3,"d":"c1"}', '{"t":"m","s":4,"d":"c2"}']);
    // The server replays y (2): already relayed to every tab, so dropped; z (3) is new. Each frame once, in order.
    data(next, 2, 'y');
    data(next, 3, 'z');
    bus.deliver();
    for (const member of [b, c]) {
      expect(member.log.filter((entry) => entry.startsWith('message:'))).to.deep.equal([
        'message:x',
        'message:y',
        'message:z',
      ]);
    }
    expect(b.link.session).to.equal('S1');
    expect(b.link.resumed).to.equal(true);
  });

  it('a holder that wrote more than it told: the welcome’s higher acknowledgement is taken, not refused', () => {
    const { bus, tabs, members } = threeTabsInSession();
    const [a, b] = members;
    b.link.send('b1');
    bus.deliver();
    // a writes a message of its own and vanishes before its relay reaches anyone.
    a.link.send('a-untold');
    tabs[0]!.vanish();
    bus.deliver();
    const next = FakeSocket.last;
    next.serverOpen();
    welcome(next, 'S1', true, 2);
    b.link.send('b2');
    bus.deliver();
    expect(b.log.filter((entry) => entry.startsWith('error:'))).to.deep.equal([]);
    expect(next.sent.slice(1)).to.deep.equal(['{"t":"m","s":3,"d":"b2"}']);
  });
});

describe('share="tabs" with resume: a tab that joins later', () => {
  it('gets the session’s copy from the holder, and can take over from it', () => {
    const { bus, tabs, members } = threeTabsInSession();
    const [a] = members;
    a.link.send('a1');
    data(FakeSocket.last, 1, 'x');
    bus.deliver();
    const late = bus.tab('d').member({ resume: true });
    late.link.connect();
    bus.deliver();
    expect(late.link.session).to.equal('S1');
    for (const tab of tabs) tab.vanish();
    bus.deliver();
    expect(bus.leader).to.equal('d');
    FakeSocket.last.serverOpen();
    expect(FakeSocket.last.sent).to.deep.equal(['{"t":"hello","v":1,"session":"S1","ack":1}']);
    welcome(FakeSocket.last, 'S1', true, 0);
    expect(FakeSocket.last.sent.slice(1)).to.deep.equal(['{"t":"m","s":1,"d":"a1"}']);
  });
});
