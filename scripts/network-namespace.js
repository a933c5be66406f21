// @ts-check
/**
 * A private network namespace for a browser run that must be able to go
 * offline for real. WebKitGTK has no network emulation a test can drive: it
 * takes `navigator.onLine` from whether the machine has a default route. In a
 * namespace of its own, with loopback and one veth whose far end sits in a
 * second, empty namespace, the run has a default route to remove and put
 * back (test/server/ws-server-plugin.js) while 127.0.0.1 keeps working.
 * Nothing can leave: the far end is a namespace with no other link, and the
 * route points at 192.0.2.1 (TEST-NET-1, never routed).
 *
 * Needs root and `ip` (Debian's iproute2); where either is missing the run
 * goes on without it and the offline test says so.
 */
import { execFileSync } from 'node:child_process';

const GATEWAY = '192.0.2.1';

/** @param {string[]} args */
function ip(args) {
  execFileSync('ip', args, { stdio: 'ignore' });
}

/**
 * Makes the namespace pair. Returns the command prefix that runs a program
 * inside, the environment that tells the test server how to restore the
 * route, and a function that removes both namespaces; `undefined` where this
 * machine cannot make one.
 * @returns {{ prefix: string[], env: NodeJS.ProcessEnv, remove(): void } | undefined}
 */
export function offlineCapableNamespace() {
  if (process.getuid?.() !== 0) return undefined;
  const name = `wsc${process.pid}`;
  const link = name.slice(0, 12);
  const remove = () => {
    for (const ns of [name, `${name}-sink`]) {
      try {
        ip(['netns', 'del', ns]);
      } catch {
        // Not made, or already gone.
      }
    }
  };
  try {
    ip(['netns', 'add', name]);
    ip(['netns', 'add', `${name}-sink`]);
    ip(['link', 'add', `${link}a`, 'type', 'veth', 'peer', 'name', `${link}b`]);
    ip(['link', 'set', `${link}a`, 'netns', name]);
    ip(['link', 'set', `${link}b`, 'netns', `${name}-sink`]);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
    ip(['-n', name, 'link', 'set', `${link}a`, 'up']);
    ip(['-n', `${name}-sink`, 'link', 'set', `${link}b`, 'up']);
    ip(['-n', name, 'addr', 'add', '192.0.2.2/30', 'dev', `${link}a`]);
    ip(['-n', name, 'route', 'add', 'default', 'via', GATEWAY]);
  } catch {
    remove();
    return undefined;
  }
  return { prefix: ['ip', 'netns', 'exec', name], env: { WS_TEST_DEFAULT_ROUTE: `via ${GATEWAY}` }, remove };
}
