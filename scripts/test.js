// @ts-check
/**
 * `npm test`: build, type check, lint, the Node tests, then the browser tests
 * in each engine (Chromium, Firefox, WebKit), one test-runner process per
 * engine. Runs every step even after a failure, so one run shows everything,
 * and ends with the plain line `N passed, N failed` (each check step counts
 * as one test).
 *
 * `TEST_BROWSERS=firefox,webkit npm test` narrows the engines. An engine
 * that is not installed is named with the Debian package that brings it;
 * under `CI=true` that counts as a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ENGINE_PACKAGES, engineFound, requestedEngines } from '../test/server/engines.js';
import { offlineCapableNamespace } from './network-namespace.js';

const results = '.test-results';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;

/** Runs a command with inherited output; returns whether it exited 0. */
function run(/** @type {string} */ command, /** @type {string[]} */ args, /** @type {NodeJS.ProcessEnv} */ env = {}) {
  const shown = Object.entries(env).map(([key, value]) => `${key}=${value} `);
  console.log(`\n> ${shown.join('')}${[command, ...args].join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;
}

function check(/** @type {string} */ name, /** @type {boolean} */ ok) {
  if (ok) passed++;
  else failed++;
  if (!ok) console.log(`✗ ${name} failed`);
}

const built = run('npm', ['run', '--silent', 'build']);
check('build', built);
check('build examples', run('npm', ['run', '--silent', 'build:examples']));
check('typecheck', run('npm', ['run', '--silent', 'typecheck']));
check('lint', run('npm', ['run', '--silent', 'lint']));

const nodeOk = run(process.execPath, [
  '--test',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${results}/node.tap`,
  'test/node/',
]);
const tap = existsSync(`${results}/node.tap`) ? readFileSync(`${results}/node.tap`, 'utf8') : '';
const tapCount = (/** @type {string} */ key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
passed += tapCount('pass');
failed += tapCount('fail') + (nodeOk || tapCount('fail') > 0 ? 0 : 1);

/** @type {string[]} */
const engineLines = [];
for (const engine of requestedEngines()) {
  if (!engineFound(engine)) {
    const line = `${engine}: not installed (Debian package: ${ENGINE_PACKAGES[engine]})`;
    engineLines.push(`${line}${process.env.CI ? ': a failure under CI' : ': skipped'}`);
    if (process.env.CI) failed++;
    continue;
  }
  if (!built) continue;
  const file = `${results}/browser.json`;
  rmSync(file, { force: true });
  // WebKit can be taken offline only through the network itself: its run gets a namespace of its own.
  const namespace = engine === 'webkit' ? offlineCapableNamespace() : undefined;
  if (engine === 'webkit' && !namespace)
    console.log('webkit: no network namespace (needs root and ip): the offline test will fail');
  const [command, ...args] = [...(namespace?.prefix ?? []), 'npx', 'web-test-runner'];
  const browserOk = run(command, args, { TEST_BROWSERS: engine, ...namespace?.env });
  namespace?.remove();
  if (existsSync(file)) {
    const counts = JSON.parse(readFileSync(file, 'utf8'));
    passed += counts.passed;
    failed += counts.failed + (browserOk || counts.failed > 0 ? 0 : 1);
    engineLines.push(`${engine}: ${counts.passed} passed, ${counts.failed} failed`);
  } else {
    failed++;
    engineLines.push(`${engine}: the test runner ended without results`);
  }
}

console.log(`\n${engineLines.join('\n')}`);

console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
