// @ts-check
// For the fleet tests and bench: Debian's redis-server and nginx started on free ports of 127.0.0.1
// in a temporary folder (no persistence, logs and pid there), and SessionServer processes
// (test/server/fleet-server.js) sharing the Redis behind nginx's plain round-robin upstream.
import { fork, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The programs the fleet needs, with the Debian package that brings each. */
export const FLEET_PROGRAMS = { 'redis-server': 'redis-server', nginx: 'nginx' };

/** The programs missing here, each as "program (Debian package: …)". */
export function missingFleetPrograms() {
  return Object.entries(FLEET_PROGRAMS)
    .filter(
      ([program]) => spawnSync('sh', ['-c', `command -v ${program} || test -x /usr/sbin/${program}`]).status !== 0,
    )
    .map(([program, pkg]) => `${program} (Debian package: ${pkg})`);
}

/**
 * The npm packages a fleet process (test/server/fleet-server.js) imports that do not resolve from it.
 * Both are devDependencies (and optional peers of the package): without `redis` every process would exit
 * at its first import.
 */
export function missingFleetPackages() {
  const require = createRequire(serverScript);
  return ['redis', 'ws'].filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * What a fleet test does when something is missing. A program (redis-server, nginx), as scripts/test.js
 * does for a browser engine: skipped with the reason, and a failure under CI=true. An npm package: a
 * failure at once (an incomplete install, which `npm ci` mends), never a wait for processes that cannot start.
 * @returns {string | undefined} why the fleet tests are skipped here, or undefined when they can run
 * @throws {Error} when they must fail instead
 */
export function fleetUnavailable() {
  const packages = missingFleetPackages();
  if (packages.length > 0)
    throw new Error(`npm package not installed: ${packages.join(', ')} (a devDependency: run npm ci)`);
  const missing = missingFleetPrograms();
  if (missing.length === 0) return undefined;
  const message = `not installed: ${missing.join(', ')}`;
  if (process.env.CI) throw new Error(`${message}: a failure under CI (.ci/run installs them)`);
  return message;
}

/**
 * `fleetUnavailable()` for a node test: skips it with the reason, or throws.
 * @param {import('node:test').TestContext} t
 * @returns {boolean} whether the test can run
 */
export function fleetAvailable(t) {
  const reason = fleetUnavailable();
  if (reason === undefined) return true;
  t.skip(reason);
  return false;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once something accepts TCP connections on the port. */
async function listening(/** @type {number} */ port, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** @type {Map<import('node:child_process').ChildProcess, NodeJS.Signals>} */
const children = new Map();
// Whatever a failed test leaves running goes with the test process, each with the signal given to track().
process.once('exit', () => {
  for (const [child, signal] of children) child.kill(signal);
});

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} [signal] what ends it when this process exits: SIGKILL, but nginx's master must
 *   end its workers itself (SIGTERM), or a worker outlives it, still listening
 */
function track(child, signal = 'SIGKILL') {
  children.set(child, signal);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Stops a child process and waits for it to exit. */
async function stop(
  /** @type {import('node:child_process').ChildProcess} */ child,
  signal = /** @type {NodeJS.Signals} */ ('SIGTERM'),
) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/**
 * redis-server on a free port, no persistence (`--save '' --appendonly no`), in a temporary folder.
 * `restart()` stops it and starts a new one on the same port: everything it held is gone.
 */
export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'wsc-redis-'));
  const port = await freePort();
  /** @type {import('node:child_process').ChildProcess} */
  let child;
  const start = async () => {
    child = track(
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--logfile',
          join(dir, 'redis.log'),
        ],
        { stdio: 'ignore' },
      ),
    );
    await listening(port);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async restart() {
      await stop(child, 'SIGKILL');
      await start();
    },
    async close() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * nginx on a free port in front of `ports`: a plain round-robin upstream (no stickiness), WebSocket
 * upgrades passed through, and an upstream that refuses connections skipped for the next one.
 * @param {number[]} ports
 */
export async function startNginx(ports) {
  const dir = mkdtempSync(join(tmpdir(), 'wsc-nginx-'));
  // nginx's workers drop to an unprivileged user when the master runs as root; they only need to read.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((name) => `  ${name}_temp_path ${join(dir, name)};`)
    .join('\n');
  const config = `
worker_processes 1;
error_log ${join(dir, 'error.log')} warn;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 4096; }
http {
  access_log off;
${temp}
  upstream fleet {
${ports.map((upstream) => `    server 127.0.0.1:${upstream} max_fails=0;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://fleet;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_connect_timeout 2s;
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout;
    }
  }
}
`;
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, config);
  const child = track(
    spawn('nginx', ['-c', file, '-p', dir, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] }),
    'SIGTERM',
  );
  let errors = '';
  child.stderr?.on('data', (chunk) => (errors += chunk));
  try {
    await listening(port);
  } catch (error) {
    throw new Error(`nginx did not start: ${errors}${readLog(join(dir, 'error.log'))}`, { cause: error });
  }
  return {
    port,
    url: `ws://127.0.0.1:${port}/`,
    async close() {
      await stop(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(/** @type {string} */ file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const serverScript = fileURLToPath(new URL('./fleet-server.js', import.meta.url));

/**
 * What a fleet process reports (test/server/fleet-server.js): `listening` with its `port`; `session`, `socket`
 * and `end` (with `reason` and `error`) for session `id`; `sent` and `logging` answering the `request` of a
 * command.
 * @typedef {{ type: string, id?: string, port?: number, reason?: string, error?: string, request?: number, sent?: boolean | number }} FleetEvent
 */

/**
 * One SessionServer process (test/server/fleet-server.js) with a RedisSessionStore, or a
 * MemorySessionStore when `redisUrl` is undefined. Each message it reports comes as an IPC message.
 * @param {{ name: string, redisUrl?: string, ttl?: number, log?: string }} options
 */
export async function startFleetServer({ name, redisUrl, ttl = 120000, log }) {
  const child = track(
    fork(serverScript, [], {
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      env: {
        ...process.env,
        FLEET_NAME: name,
        REDIS_URL: redisUrl ?? '',
        FLEET_TTL: String(ttl),
        FLEET_LOG: log ?? '',
      },
    }),
  );
  // Passed on as it comes, and the last of it kept for the error of a process that exits before it listens.
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    process.stderr.write(chunk);
    stderr = (stderr + chunk).slice(-2000);
  });
  /** @type {FleetEvent[]} */
  const events = [];
  /** @type {((event: FleetEvent) => void)[]} */
  let waiting = [];
  child.on('message', (/** @type {FleetEvent} */ event) => {
    events.push(event);
    for (const wake of waiting) wake(event);
  });
  /**
   * The first event (past or to come) matching `test`.
   * @param {(event: FleetEvent) => boolean} test
   * @returns {Promise<FleetEvent>}
   */
  const next = (test, timeoutMs = 15000) => {
    const found = events.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting = waiting.filter((wake) => wake !== check);
        reject(
          new Error(`${name}: no matching event within ${timeoutMs} ms; events: ${JSON.stringify(events.slice(-10))}`),
        );
      }, timeoutMs);
      // A wait that lost a race (holder() asks every process) must not hold the test process open.
      timer.unref();
      const check = (/** @type {FleetEvent} */ event) => {
        if (!test(event)) return;
        clearTimeout(timer);
        waiting = waiting.filter((wake) => wake !== check);
        resolve(event);
      };
      waiting.push(check);
    });
  };
  // A process that cannot start (a missing package, a syntax error) fails here at once, not after the wait.
  /** @type {Promise<never>} */
  const exited = new Promise((_resolve, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`fleet server ${name} exited (${signal ?? `code ${code}`}) before listening: ${stderr.trim()}`)),
    ),
  );
  const { port } = await Promise.race([next((event) => event.type === 'listening'), exited]);
  let requests = 0;
  return {
    name,
    port,
    child,
    events,
    next,
    /**
     * Asks the process to send `data` in session `id` (SessionServer.send); resolves its answer.
     * @param {string} id @param {unknown} data @returns {Promise<boolean>}
     */
    async send(id, data) {
      const request = ++requests;
      child.send({ type: 'send', id, data, request });
      const answer = await next((event) => event.type === 'sent' && event.request === request);
      if (answer.error) throw new Error(answer.error);
      return answer.sent === true;
    },
    /**
     * Asks the process to send `data` in each session of `ids`; resolves how many it accepted.
     * @param {string[]} ids @param {unknown} data @returns {Promise<number>}
     */
    async sendAll(ids, data) {
      const request = ++requests;
      child.send({ type: 'send-all', ids, data, request });
      const answer = await next((event) => event.type === 'sent' && event.request === request, 60000);
      if (answer.error) throw new Error(answer.error);
      return Number(answer.sent);
    },
    /** Logs each delivered client message to `file` from now on (none: stops logging). */
    async log(/** @type {string | undefined} */ file) {
      const request = ++requests;
      child.send({ type: 'log', file: file ?? '', request });
      await next((event) => event.type === 'logging' && event.request === request);
    },
    kill() {
      return stop(child, 'SIGKILL');
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'close' });
      await exited;
    },
  };
}

/**
 * The entries of a delivery log the fleet servers write (`log` of `startFleetServer`), one JSON object a line;
 * none while the file does not exist yet.
 * @param {string} file
 * @returns {any[]}
 */
export function deliveryLog(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/**
 * A fleet: Redis, two SessionServer processes (A and B) logging what they deliver to one file, and nginx,
 * torn down by `close()` whatever is left. For the node fleet test and the browser tests' fleet plugin.
 * @param {{ ttl?: number }} [options]
 */
export async function startFleet(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'wsc-fleet-'));
  const log = join(dir, 'delivered.jsonl');
  const redis = await startRedis();
  /** @type {Awaited<ReturnType<typeof startFleetServer>>[]} */
  let servers = [];
  /** @type {Awaited<ReturnType<typeof startNginx>>} */
  let nginx;
  try {
    const started = await Promise.allSettled(
      ['A', 'B'].map((name) => startFleetServer({ name, redisUrl: redis.url, ttl: options.ttl, log })),
    );
    servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    nginx = await startNginx(servers.map((server) => server.port));
  } catch (error) {
    // What did start goes now: a Redis left running would keep the test process from ever ending.
    await Promise.all(servers.map((server) => server.kill()));
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    redis,
    servers,
    nginx,
    /** Every client message the fleet's applications received, in the order they logged them. */
    delivered() {
      return deliveryLog(log);
    },
    /** The first process that reports a socket holding session `id` (past or to come). */
    async holder(/** @type {string} */ id) {
      const [first] = await Promise.race(
        servers.map((server) =>
          server.next((event) => event.type === 'socket' && event.id === id).then(() => [server]),
        ),
      );
      return first;
    },
    async close() {
      await nginx.close();
      await Promise.all(servers.map((server) => server.close()));
      await redis.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
