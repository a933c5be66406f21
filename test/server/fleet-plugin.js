// @ts-check
import { fleetUnavailable, startFleet } from './fleet.js';

/**
 * A fleet for the browser tests (test/browser/fleet.test.ts), from test/server/fleet.js: Debian's
 * redis-server, two SessionServer processes (A and B, test/server/fleet-server.js) with a RedisSessionStore
 * on it, and nginx round-robin in front of them, all on free ports of 127.0.0.1. Started lazily, one per
 * test file and browser (keyed by the runner's test session), by the first `start`; ended by `stop` and,
 * whatever is left, when the runner stops. Tests drive it with `executeServerCommand('fleet', { action, … })`:
 *
 * - `start`: the nginx URL (`{ url }`). Without redis-server or nginx: `{ missing }` saying what and which
 *   Debian package brings it, for the test to report and skip; under CI=true that is an error instead
 *   (`.ci/run` installs both), as scripts/test.js treats a missing browser engine.
 * - `holder` with `id`: the name of the live process a socket of session `id` is on (waits for one).
 * - `kill` with `id`: SIGKILLs that process; `{ killed, other }`, the two names.
 * - `send` with `id`, `count`, `interval`: from the process not holding the session (or `from`), sends
 *   `{ tick: n }` for n = 1…count in the session (SessionServer.send, through Redis while the other holds
 *   it), one every `interval` ms, in the background; `ticks` says how far it got:
 *   `{ from, sent, accepted, done, error }`.
 * - `delivered` with `id`: what the applications of both processes logged for the session, in order,
 *   `{ server, data }` each; with `through: n`, first waits (up to `timeout` ms) until `{ n }` is logged.
 * - `stop`: ends the fleet (processes, Redis, nginx and their folders).
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function fleetPlugin() {
  /**
   * @typedef {Awaited<ReturnType<typeof startFleet>>} Fleet
   * @typedef {Fleet['servers'][number]} FleetServer
   * @typedef {{ from: string, sent: number, accepted: number, done: boolean, error: string | null }} Ticks
   * @typedef {{ fleet: Promise<Fleet>, ticks: Ticks | undefined }} Entry
   */
  /** @type {Map<string, Entry>} */
  const fleets = new Map();

  const alive = (/** @type {FleetServer} */ server) =>
    server.child.exitCode === null && server.child.signalCode === null;

  /** Whether the latest report of `server` about session `id` is that a socket holds it. */
  const holds = (/** @type {FleetServer} */ server, /** @type {string} */ id) =>
    server.events.filter((event) => event.id === id && ['socket', 'end'].includes(event.type)).at(-1)?.type ===
    'socket';

  /** The live process a socket of session `id` is on, or the first one to report one. */
  async function holder(/** @type {Fleet} */ fleet, /** @type {string} */ id) {
    const live = fleet.servers.filter(alive);
    const holding = live.find((server) => holds(server, id));
    if (holding) return holding;
    return Promise.race(
      live.map((server) => {
        const from = server.events.length;
        return server
          .next((event) => event.type === 'socket' && event.id === id && server.events.indexOf(event) >= from)
          .then(() => server);
      }),
    );
  }

  /** The process that is not `server`. */
  const otherThan = (/** @type {Fleet} */ fleet, /** @type {FleetServer} */ server) =>
    /** @type {FleetServer} */ (fleet.servers.find((candidate) => candidate !== server));

  const byName = (/** @type {Fleet} */ fleet, /** @type {unknown} */ name) => {
    const found = fleet.servers.find((server) => server.name === name);
    if (!found) throw new Error(`No fleet process named ${String(name)}`);
    return found;
  };

  async function stop(/** @type {string} */ key) {
    const entry = fleets.get(key);
    if (!entry) return false;
    fleets.delete(key);
    if (entry.ticks) entry.ticks.done = true;
    const fleet = await entry.fleet.catch(() => undefined);
    await fleet?.close();
    return true;
  }

  /** @param {Ticks} ticks @param {FleetServer} from @param {string} id @param {number} count @param {number} interval */
  async function tick(ticks, from, id, count, interval) {
    try {
      for (let n = 1; n <= count && !ticks.done; n++) {
        const accepted = await from.send(id, { tick: n });
        ticks.sent = n;
        if (accepted) ticks.accepted++;
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
    } catch (error) {
      ticks.error = String(error);
    } finally {
      ticks.done = true;
    }
  }

  return {
    name: 'fleet',
    async serverStop() {
      await Promise.all([...fleets.keys()].map(stop));
    },
    async executeCommand({ command, payload, session }) {
      if (command !== 'fleet') return undefined;
      const options = /** @type {{ action?: string, id?: string, [key: string]: unknown }} */ (payload ?? {});
      const key = session.id;
      if (options.action === 'start') {
        // Throws under CI=true or for a missing npm package; a missing program otherwise is the test's to report.
        const missing = fleetUnavailable();
        if (missing) return { missing };
        let entry = fleets.get(key);
        if (!entry) fleets.set(key, (entry = { fleet: startFleet(), ticks: undefined }));
        // A fleet that failed to start is forgotten, so the next start tries again.
        const fleet = await entry.fleet.catch((/** @type {unknown} */ error) => {
          fleets.delete(key);
          throw error;
        });
        return { url: fleet.nginx.url };
      }
      if (options.action === 'stop') return stop(key);
      const entry = fleets.get(key);
      if (!entry) throw new Error(`No fleet for this test file: run the fleet action 'start' first`);
      const fleet = await entry.fleet;
      const id = String(options.id);
      switch (options.action) {
        case 'holder':
          return (await holder(fleet, id)).name;
        case 'kill': {
          const killed = await holder(fleet, id);
          await killed.kill();
          return { killed: killed.name, other: otherThan(fleet, killed).name };
        }
        case 'send': {
          const from = options.from ? byName(fleet, options.from) : otherThan(fleet, await holder(fleet, id));
          const count = typeof options.count === 'number' ? options.count : 1;
          const interval = typeof options.interval === 'number' ? options.interval : 2;
          if (entry.ticks && !entry.ticks.done) throw new Error('Ticks are still being sent in this fleet');
          const ticks = (entry.ticks = { from: from.name, sent: 0, accepted: 0, done: false, error: null });
          void tick(ticks, from, id, count, interval);
          return { from: from.name };
        }
        case 'ticks':
          return entry.ticks ?? null;
        case 'delivered': {
          const mine = () => fleet.delivered().filter((entry) => entry.id === id);
          if (typeof options.through === 'number') {
            const deadline = Date.now() + (typeof options.timeout === 'number' ? options.timeout : 15000);
            // The log is a file the processes append to: read until the message is there.
            while (!mine().some((entry) => entry.data?.n === options.through) && Date.now() < deadline)
              await new Promise((resolve) => setTimeout(resolve, 10));
          }
          return mine().map(({ server, data }) => ({ server, data }));
        }
        default:
          throw new Error(`Unknown fleet action: ${String(options.action)}`);
      }
    },
  };
}
