import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { WsConnectionError } from '../../src/ws-connection.js';
import { newScope, nextEvent } from './helpers.js';

/**
 * The chaos soak, with and without `resume` (issue 14, "Measured, not guessed"). One seeded schedule of
 * faults (kill, clean closes, down, flap, half-open, a slow handshake, and the page closing and connecting
 * again) runs while the page sends numbered messages `{ n }` and the server pushes its own numbered
 * stream `{ push: n }`. Each message the page sends is counted by how it went: `direct` (written at once,
 * the socket open), `flushed` (held while the element was not connected, flushed on open) and `queued`
 * (held while it was reconnecting).
 *
 * With `resume`, against a real SessionServer (test/server/session-server-plugin.js): every message of
 * every kind arrives once and in order, both ways, in one session. Without it, the same seed runs against
 * the plain fault server, and its counts are only reported: what it loses depends on timing.
 *
 * WS_SOAK_SEED and WS_SOAK_MESSAGES (read by the test runner's process) fix the seed and raise the count
 * for a long run: `WS_SOAK_MESSAGES=10000 TEST_BROWSERS=chromium npx web-test-runner test/browser/soak.test.ts`.
 */

const DEFAULT_MESSAGES = 2_000;
/** The page's pace: this many messages every SEND_EVERY ms (400 a second). */
const SEND_BATCH = 4;
const SEND_EVERY = 10;
/** The server's pace for its stream, about the page's, so both directions flow for the whole run. */
const PUSH_BATCH = 1;
const PUSH_EVERY = 5;

type Kind = 'direct' | 'flushed' | 'queued';
const KINDS: readonly Kind[] = ['direct', 'flushed', 'queued'];

type Fault =
  | { kind: 'kill' }
  | { kind: 'close'; code: number }
  | { kind: 'down'; ms: number }
  | { kind: 'flap'; drops: number }
  | { kind: 'half-open' }
  | { kind: 'slow-handshake'; ms: number }
  | { kind: 'page-pause'; messages: number };

interface Step {
  /** Fired once the page has sent this many messages. */
  at: number;
  fault: Fault;
}

/** mulberry32: a small seeded PRNG, numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** About one fault per 150 messages, spread over the first 90 % of them: every kind once, shuffled, then any. */
function schedule(seed: number, messages: number): Step[] {
  const random = mulberry32(seed);
  const between = (low: number, high: number): number => Math.round(low + random() * (high - low));
  const makers: (() => Fault)[] = [
    () => ({ kind: 'kill' }),
    () => ({ kind: 'close', code: random() < 0.5 ? 1001 : 1012 }),
    () => ({ kind: 'down', ms: between(150, 500) }),
    () => ({ kind: 'flap', drops: between(2, 4) }),
    () => ({ kind: 'half-open' }),
    () => ({ kind: 'slow-handshake', ms: between(100, 300) }),
    () => ({ kind: 'page-pause', messages: between(20, 80) }),
  ];
  const order = makers.map((maker) => ({ maker, key: random() })).sort((a, b) => a.key - b.key);
  const count = Math.max(makers.length, Math.round(messages / 150));
  const steps: Step[] = [];
  for (let i = 0; i < count; i++) {
    const maker = i < order.length ? order[i]!.maker : makers[Math.floor(random() * makers.length)]!;
    steps.push({ at: Math.round(((i + 0.2 + random() * 0.6) * messages * 0.9) / count), fault: maker() });
  }
  return steps;
}

interface Tally {
  sent: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
}

/** `got` against `sent`: lost (never arrived), duplicates (arrived again), out of order (arrived after a later one). */
function tally(sent: readonly number[], got: readonly number[]): Tally {
  const arrived = new Set<number>();
  let duplicates = 0;
  let outOfOrder = 0;
  let highest = -Infinity;
  for (const n of got) {
    if (arrived.has(n)) {
      duplicates++;
      continue;
    }
    arrived.add(n);
    if (n < highest) outOfOrder++;
    highest = Math.max(highest, n);
  }
  return { sent: sent.length, lost: sent.filter((n) => !arrived.has(n)).length, duplicates, outOfOrder };
}

function numbers(list: readonly unknown[], key: 'n' | 'push'): number[] {
  return list
    .map((item) => (typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[key] : undefined))
    .filter((value): value is number => typeof value === 'number');
}

/** Polls `check` until it holds; rejects after `ms`. For what only the server can tell. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Resolves with `promise`, or rejects after `ms` naming `what`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)),
  ]);
}

interface SoakResult {
  mode: 'resume' | 'plain';
  seed: number;
  messages: number;
  kinds: Record<Kind, Tally>;
  echoes: Tally;
  pushes: Tally;
  errors: Record<string, number>;
  opens: number;
  sessionsStarted?: number;
  ms: number;
}

/** One run of the schedule: `resume` against the SessionServer, `plain` against the fault server. */
async function soak(mode: 'resume' | 'plain', seed: number, messages: number): Promise<SoakResult> {
  const started = performance.now();
  const command = mode === 'resume' ? 'session-server' : 'ws-server';
  const scope = newScope(`soak-${mode}`);
  const control = <T = unknown>(action: string, options: Record<string, unknown> = {}): Promise<T> =>
    executeServerCommand<T, Record<string, unknown>>(command, { scope, action, ...options });

  const element = document.createElement('ws-connection');
  element.setAttribute('url', await control<string>('url'));
  for (const [name, value] of Object.entries({
    'retry-delay': '30',
    'retry-jitter': '0.5',
    'retry-max-delay': '200',
    'min-uptime': '0',
    'heartbeat-interval': '100',
    'heartbeat-timeout': '300',
    'connect-timeout': '3000',
    'queue-limit': '1000000',
  }))
    element.setAttribute(name, value);
  element.json = true;
  element.resume = mode === 'resume';

  const received: unknown[] = [];
  element.addEventListener('message', (event) => received.push(event.data));
  const errors: Record<string, number> = {};
  element.addEventListener('error', (event) => {
    const code = (event.error as WsConnectionError | undefined)?.code ?? 'unknown';
    errors[code] = (errors[code] ?? 0) + 1;
  });
  let opens = 0;
  element.addEventListener('open', () => opens++);
  // What happened, for the message of a run that fails.
  const trace: string[] = [];
  const note = (what: string): void => void trace.push(`${Math.round(performance.now() - started)} ${what}`);
  element.addEventListener('statuschange', () => note(element.status));
  element.addEventListener('error', (event) =>
    note(`error ${String((event.error as WsConnectionError | undefined)?.code)}`),
  );
  element.addEventListener('close', (event) => note(`close ${event.code}`));
  const opened = (): Promise<unknown> =>
    within(nextEvent(element, 'open'), 8000, 'open').catch((error: unknown) => {
      throw new Error(`${String(error)} (seed ${seed}); trace:\n${trace.slice(-40).join('\n')}`);
    });

  try {
    document.body.append(element);
    await opened();

    const pushes = Math.round(messages / 2);
    await control('stream', { count: pushes, interval: PUSH_EVERY, batch: PUSH_BATCH });

    // The page's sender: numbered messages at a steady pace, each counted by how send() took it.
    const sentBy: Record<Kind, number[]> = { direct: [], flushed: [], queued: [] };
    let sent = 0;
    const waiting: { n: number; resolve: () => void }[] = [];
    const sentReached = (n: number): Promise<void> =>
      n <= sent ? Promise.resolve() : new Promise((resolve) => waiting.push({ n, resolve }));
    const sending = new Promise<void>((resolve) => {
      const tick = (): void => {
        for (let i = 0; i < SEND_BATCH && sent < messages; i++) {
          const n = ++sent;
          const status = element.status;
          const kind: Kind = element.send({ n }) ? 'direct' : status === 'reconnecting' ? 'queued' : 'flushed';
          sentBy[kind].push(n);
        }
        for (const waiter of waiting.filter((w) => w.n <= sent)) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve();
        }
        if (sent < messages) setTimeout(tick, SEND_EVERY);
        else resolve();
      };
      tick();
    });

    for (const { at, fault } of schedule(seed, messages)) {
      await sentReached(at);
      note(`fault ${JSON.stringify(fault)} at ${at}`);
      const reopened = opened();
      switch (fault.kind) {
        case 'kill':
          await control('kill');
          break;
        case 'close':
          await control('close', { code: fault.code, reason: 'soak' });
          break;
        case 'down':
          await control('refuse', { ms: fault.ms });
          await control('kill');
          break;
        case 'flap':
          // The next sockets are dropped as soon as they open, then the one after that is killed at once
          // (its open awaited after the switch).
          await control('drop', { count: fault.drops });
          await control('kill');
          await reopened;
          await control('kill');
          break;
        case 'half-open':
          // Noticed only by the heartbeat (heartbeat-timeout 300 ms).
          await control('silent');
          break;
        case 'slow-handshake':
          await control('delay', { ms: fault.ms });
          await control('kill');
          await reopened;
          await control('delay', { ms: 0 });
          break;
        case 'page-pause': {
          element.close();
          await sentReached(Math.min(messages, at + fault.messages));
          element.connect();
          break;
        }
      }
      await (fault.kind === 'flap' ? opened() : reopened);
    }
    await sending;
    await until(async () => !(await control<{ streaming: boolean }>('stream-stats')).streaming, 'the stream', 10000);
    if (element.status !== 'open') await opened();

    // A last message: once its echo is back, everything before it has had its chance both ways (a session
    // delivers in order; without one, what has not come by then is lost). Sent again if a fault ate it.
    const fin = (): boolean => received.some((data) => (data as { fin?: boolean } | null)?.fin === true);
    for (let attempt = 0; attempt < 5 && !fin(); attempt++) {
      element.send({ fin: true });
      await until(fin, 'the last echo', 3000).catch(() => undefined);
    }
    expect(fin(), 'the last message came back').to.equal(true);

    const atServer = numbers(
      mode === 'resume'
        ? await control<unknown[]>('received')
        : (await control<{ data: string; binary: boolean }[]>('received')).map(({ data }) => {
            try {
              return JSON.parse(data) as unknown;
            } catch {
              return data;
            }
          }),
      'n',
    );
    const kinds = Object.fromEntries(
      KINDS.map((kind) => {
        const mine = new Set(sentBy[kind]);
        return [
          kind,
          tally(
            sentBy[kind],
            atServer.filter((n) => mine.has(n)),
          ),
        ];
      }),
    ) as Record<Kind, Tally>;
    const all = Array.from({ length: messages }, (_, i) => i + 1);
    const pushed = (await control<{ sent: number }>('stream-stats')).sent;
    return {
      mode,
      seed,
      messages,
      kinds,
      echoes: tally(all, numbers(received, 'n')),
      pushes: tally(
        Array.from({ length: pushed }, (_, i) => i + 1),
        numbers(received, 'push'),
      ),
      errors,
      opens,
      ...(mode === 'resume' ? { sessionsStarted: (await control<{ started: number }>('stats')).started } : {}),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    element.close();
    element.remove();
    await control('reset');
  }
}

function report(result: SoakResult): string {
  const line = (name: string, t: Tally): string =>
    `${name} ${t.sent} sent, ${t.lost} lost, ${t.duplicates} twice, ${t.outOfOrder} out of order`;
  return [
    `soak ${result.mode === 'resume' ? 'with resume' : 'without resume'} (seed ${result.seed}, ` +
      `${result.messages} messages, ${result.ms} ms, ${result.opens} opens` +
      `${result.sessionsStarted === undefined ? '' : `, ${result.sessionsStarted} session`}; errors ${JSON.stringify(result.errors)}):`,
    ...KINDS.map((kind) => `  client→server ${line(kind, result.kinds[kind])}`),
    `  server→client ${line('echoes', result.echoes)}`,
    `  server→client ${line('pushes', result.pushes)}`,
    `  SOAK-JSON ${JSON.stringify(result)}`,
  ].join('\n');
}

describe('soak: faults while messages flow both ways', function () {
  this.timeout(60000);
  let seed = 0;
  let messages = DEFAULT_MESSAGES;

  before(async () => {
    const asked = await executeServerCommand<{ seed: number | null; messages: number | null }, { action: string }>(
      'session-server',
      {
        action: 'soak-options',
      },
    );
    seed = asked.seed ?? Math.floor(Math.random() * 2 ** 32);
    messages = asked.messages ?? DEFAULT_MESSAGES;
  });

  it('with resume: nothing lost, nothing twice, nothing out of order, of any kind, in one session', async () => {
    const result = await soak('resume', seed, messages);
    console.log(report(result));
    for (const kind of KINDS)
      expect(result.kinds[kind], `${kind}, seed ${seed}`).to.include({ lost: 0, duplicates: 0, outOfOrder: 0 });
    expect(result.kinds.direct.sent + result.kinds.flushed.sent + result.kinds.queued.sent).to.equal(messages);
    expect(result.echoes, `echoes, seed ${seed}`).to.include({ lost: 0, duplicates: 0, outOfOrder: 0 });
    expect(result.pushes, `pushes, seed ${seed}`).to.include({ lost: 0, duplicates: 0, outOfOrder: 0 });
    expect(result.pushes.sent).to.equal(Math.round(messages / 2));
    expect(result.sessionsStarted, 'sessions started').to.equal(1);
    expect(result.errors['session-lost'] ?? 0, 'session-lost errors').to.equal(0);
    expect(result.errors.protocol ?? 0, 'protocol errors').to.equal(0);
  });

  it('without resume, the same seed against the plain fault server: counts reported', async () => {
    const result = await soak('plain', seed, messages);
    console.log(report(result));
    expect(result.kinds.direct.sent + result.kinds.flushed.sent + result.kinds.queued.sent).to.equal(messages);
  });
});
