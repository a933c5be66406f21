// @ts-check
/**
 * `npm test`: build, type check, lint, the Node tests, then the browser tests
 * in headless Chromium. Runs every step even after a failure, so one run
 * shows everything, and ends with the plain line `N passed, N failed`
 * (each check step counts as one test).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = '.test-results';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;

/** Runs a command with inherited output; returns whether it exited 0. */
function run(/** @type {string} */ command, /** @type {string[]} */ args) {
  console.log(`\n> ${[command, ...args].join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
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

if (built) {
  const browserOk = run('npx', ['web-test-runner']);
  const file = `${results}/browser.json`;
  if (existsSync(file)) {
    const counts = JSON.parse(readFileSync(file, 'utf8'));
    passed += counts.passed;
    failed += counts.failed + (browserOk || counts.failed > 0 ? 0 : 1);
  } else {
    failed++;
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
