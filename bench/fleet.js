// @ts-check
/**
 * `npm run bench:fleet`: sessions across a server fleet. 500 core
 * `Connection`s with `resume` (Node, the `ws` client) reach two SessionServer
 * processes through nginx's plain round-robin upstream; the processes share
 * one Redis (RedisSessionStore), started here on a free port without
 * persistence.
 *
 * 1. Throughput: every client sends ECHOES echo messages at once and the
 *    server sends each back in the session; echoes per second until every
 *    one is back, through the Redis store and then, in the same run, through
 *    two processes with a MemorySessionStore each (sessions do not move in
 *    this phase, so each process's own memory is enough).
 * 2. Kill: while every client sends a message every STEP_MS and the second
 *    process sends a tick in every session every STEP_MS (through Redis to
 *    the sessions the first holds), the first process is SIGKILLed; the time
 *    until every client whose socket died is open again and resumed, then
 *    lost and duplicated counts both ways (client messages from the
 *    processes' delivery logs, ticks at the clients).
 * Writes bench/fleet.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Connection } from '../dist/core/index.js';
import { deliveryLog, missingFleetPrograms, startFleetServer, startNginx, startRedis } from '../test/server/fleet.js';
import { ensureDist, root } from './build.js';
import { machineInfo } from './machine.js';
import { writeJson } from './write-json.js';

const CLIENTS = 500;
const ECHOES = 40;
const STEP_MS = 200;
/** Steps of the kill phase before the kill, and after it. */
const BEFORE = 10;
const AFTER = 25;

const now = () => performance.now();
/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
setTimeout(() => {
  console.error('bench:fleet: over 4 minutes; stopping.');
  process.exit(1);
}, 240_000).unref();

class PlainWebSocket extends WebSocket {
  /** @param {string} address @param {string | string[]} [protocols] */
  constructor(address, protocols) {
    super(address, protocols, { perMessageDeflate: false });
  }
}

/** Resolves once `condition()` holds, checked every 5 ms. */
async function until(/** @type {() => boolean} */ condition, /** @type {string} */ what, timeoutMs = 60000) {
  const deadline = now() + timeoutMs;
  while (!condition()) {
    if (now() > deadline) throw new Error(`bench:fleet: timed out: ${what}`);
    await sleep(5);
  }
}

/** CLIENTS core connections with resume and json, each recording what it gets. */
function createClients(/** @type {string} */ url) {
  return Array.from({ length: CLIENTS }, () => {
    const client = {
      open: false,
      opens: 0,
      /** ms (performance.now) of the latest open */
      openedAt: 0,
      closes: 0,
      echoes: 0,
      /** @type {number[]} */
      ticks: [],
      sessionLost: 0,
      /** @type {Connection} */
      connection: /** @type {any} */ (undefined),
    };
    client.connection = new Connection(
      { url, resume: true, json: true, retryDelay: 100, retryMaxDelay: 2000, queueLimit: 10000 },
      {
        open() {
          client.open = true;
          client.opens++;
          client.openedAt = now();
        },
        close() {
          if (client.open) client.closes++;
          client.open = false;
        },
        message(data) {
          const value = /** @type {{ echo?: number, tick?: number }} */ (data);
          if (value.echo !== undefined) client.echoes++;
          if (value.tick !== undefined) client.ticks.push(value.tick);
        },
        error(error) {
          if (error.code === 'session-lost') client.sessionLost++;
        },
      },
      { WebSocket: PlainWebSocket },
    );
    return client;
  });
}

/** @param {ReturnType<typeof createClients>} clients */
async function connectAll(clients) {
  for (let i = 0; i < clients.length; i += 50) {
    for (const client of clients.slice(i, i + 50)) client.connection.connect();
    await sleep(20);
  }
  await until(() => clients.every((client) => client.open), 'every client open');
}

/**
 * Every client sends ECHOES echoes at once; echoes per second until all are back.
 * @param {ReturnType<typeof createClients>} clients
 */
async function echoRate(clients) {
  for (const client of clients) client.echoes = 0;
  const start = now();
  for (const client of clients) for (let n = 1; n <= ECHOES; n++) client.connection.send({ echo: n });
  await until(() => clients.every((client) => client.echoes >= ECHOES), 'every echo back');
  const ms = now() - start;
  return { echoes: CLIENTS * ECHOES, ms: Math.round(ms), echoesPerSecond: Math.round((CLIENTS * ECHOES * 1000) / ms) };
}

/**
 * Two processes behind nginx, with a RedisSessionStore each on one Redis, or a MemorySessionStore each.
 * @param {string | undefined} redisUrl
 */
async function startPair(redisUrl) {
  const servers = await Promise.all(['A', 'B'].map((name) => startFleetServer({ name, redisUrl })));
  const nginx = await startNginx(servers.map((server) => server.port));
  return {
    servers,
    nginx,
    async close() {
      await nginx.close();
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

async function memoryRun() {
  const pair = await startPair(undefined);
  const clients = createClients(pair.nginx.url);
  try {
    await connectAll(clients);
    await echoRate(clients); // warm-up
    return await echoRate(clients);
  } finally {
    for (const client of clients) client.connection.close();
    await sleep(200);
    await pair.close();
  }
}

async function redisRun() {
  const redis = await startRedis();
  const pair = await startPair(redis.url);
  const clients = createClients(pair.nginx.url);
  const dir = mkdtempSync(join(tmpdir(), 'wsc-fleet-bench-'));
  const log = join(dir, 'delivered.jsonl');
  const [victim, survivor] = /** @type {[any, any]} */ (pair.servers);
  try {
    await connectAll(clients);
    await echoRate(clients); // warm-up
    const throughput = await echoRate(clients);

    // The kill: both ways at once, the first process killed after BEFORE steps.
    const ids = clients.map((client) => /** @type {string} */ (client.connection.session));
    const onVictim = new Set(
      victim.events
        .filter((/** @type {any} */ event) => event.type === 'socket')
        .map((/** @type {any} */ event) => event.id),
    );
    await Promise.all(pair.servers.map((server) => server.log(log)));
    let killedAt = 0;
    let sent = 0;
    for (let step = 1; step <= BEFORE + AFTER; step++) {
      for (const client of clients) client.connection.send({ n: step });
      sent = step;
      const ticking = survivor.sendAll(ids, { tick: step });
      if (step === BEFORE) {
        killedAt = now();
        await victim.kill();
      }
      const accepted = await ticking;
      if (accepted !== CLIENTS) throw new Error(`tick ${step}: ${accepted} of ${CLIENTS} accepted`);
      await sleep(STEP_MS);
    }
    const dropped = clients.filter((client) => onVictim.has(client.connection.session));
    await until(() => dropped.every((client) => client.opens >= 2 && client.open), 'every dropped client open again');
    const resumedMs = Math.max(...dropped.map((client) => client.openedAt)) - killedAt;

    await until(
      () =>
        clients.every((client) => client.ticks.length >= sent) &&
        deliveryLog(log).length >= CLIENTS * sent - dropped.length,
      'every message both ways',
    ).catch((error) => {
      const short = clients.filter((client) => client.ticks.length < sent);
      console.error(
        `ticks short at ${short.length} clients (e.g. ${JSON.stringify(short.slice(0, 3).map((c) => [c.ticks.length, c.opens, c.open, c.sessionLost, c.connection.session]))}); ` +
          `${deliveryLog(log).length} of ${CLIENTS * sent} client messages delivered`,
      );
      throw error;
    });
    await sleep(500); // Room for a duplicate to show.
    const expected = Array.from({ length: sent }, (_, index) => index + 1);
    // Client messages: a SIGKILL after Redis recorded a frame and before the killed process handed it
    // to its application loses that one to the application (the server records before it delivers;
    // docs/fleet.md, "What a crash can cost"): at most one per session, the one right after the last
    // the killed process delivered. Counted apart from any other loss.
    /** @type {Map<string, { n: number, server: string }[]>} */
    const delivered = new Map(ids.map((id) => [id, []]));
    for (const entry of deliveryLog(log)) delivered.get(entry.id)?.push({ n: entry.data.n, server: entry.server });
    let crashWindow = 0;
    const explained = [...delivered.values()].map((got) => {
      const numbers = got.map((entry) => entry.n);
      const onVictim = got.filter((entry) => entry.server === victim.name).map((entry) => entry.n);
      const boundary = onVictim.length > 0 ? Math.max(...onVictim) + 1 : undefined;
      if (boundary !== undefined && boundary <= sent && !numbers.includes(boundary)) {
        crashWindow++;
        return [...numbers, boundary].sort((x, y) => x - y);
      }
      return numbers;
    });
    /** @param {number[][]} series */
    const count = (series) => {
      let lost = 0;
      let duplicated = 0;
      for (const got of series) {
        const seen = new Set(got);
        lost += expected.filter((n) => !seen.has(n)).length;
        duplicated += got.length - seen.size;
      }
      return { lost, duplicated };
    };
    const inOrder = (/** @type {number[][]} */ series) =>
      series.every((got) => got.length === expected.length && got.every((n, index) => n === expected[index]));
    const clientToServer = { ...count(explained), lostInCrashWindow: crashWindow };
    const serverToClient = count(clients.map((client) => client.ticks));
    return {
      throughput,
      kill: {
        clientsOnKilledProcess: dropped.length,
        allResumedMs: Math.round(resumedMs),
        resumedSameSession: dropped.every((client) => client.connection.resumed),
        sessionLost: clients.reduce((total, client) => total + client.sessionLost, 0),
        messagesEachWay: CLIENTS * sent,
        clientToServer: { ...clientToServer, inOrder: inOrder(explained) },
        serverToClient: { ...serverToClient, inOrder: inOrder(clients.map((client) => client.ticks)) },
      },
    };
  } finally {
    for (const client of clients) client.connection.close();
    await sleep(200);
    await pair.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const missing = missingFleetPrograms();
  if (missing.length > 0) throw new Error(`bench:fleet needs ${missing.join(', ')}`);
  ensureDist();
  const redis = await redisRun();
  const memory = await memoryRun();
  const { kill } = redis;
  console.log(
    `${CLIENTS} clients, 2 processes behind nginx round-robin, ${ECHOES} echoes each:\n` +
      `  Redis store:  ${redis.throughput.echoesPerSecond} echoes/s (${redis.throughput.ms} ms)\n` +
      `  memory store: ${memory.echoesPerSecond} echoes/s (${memory.ms} ms)\n` +
      `kill -9 of one process (${kill.clientsOnKilledProcess} clients on it): all resumed after ${kill.allResumedMs} ms; ` +
      `client→server lost ${kill.clientToServer.lost}, duplicated ${kill.clientToServer.duplicated} ` +
      `(${kill.clientToServer.lostInCrashWindow} recorded by the killed process and not yet handed to its application); ` +
      `server→client lost ${kill.serverToClient.lost}, duplicated ${kill.serverToClient.duplicated}; ` +
      `in order ${kill.clientToServer.inOrder && kill.serverToClient.inOrder}; session-lost ${kill.sessionLost}`,
  );
  const ok =
    kill.clientToServer.lost +
      kill.clientToServer.duplicated +
      kill.serverToClient.lost +
      kill.serverToClient.duplicated ===
      0 &&
    kill.clientToServer.inOrder &&
    kill.serverToClient.inOrder &&
    kill.resumedSameSession &&
    kill.sessionLost === 0;
  await writeJson(join(root, 'bench/fleet.json'), {
    command: 'npm run bench:fleet',
    date: new Date().toISOString().slice(0, 10),
    machine: machineInfo(),
    clients: CLIENTS,
    echoesPerClient: ECHOES,
    killPhase: { stepMs: STEP_MS, stepsBeforeKill: BEFORE, stepsAfterKill: AFTER },
    echoesPerSecond: { redis: redis.throughput.echoesPerSecond, memory: memory.echoesPerSecond },
    throughput: { redis: redis.throughput, memory },
    kill,
    ok,
  });
  console.log(`wrote bench/fleet.json${ok ? '' : ' (FAILED: something was lost, duplicated or out of order)'}`);
  if (!ok) process.exitCode = 1;
}

main().then(
  () => process.exit(),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
