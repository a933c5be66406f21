// @ts-check
/**
 * The self-running bench page: loads one contender, runs the throughput,
 * echo and reconnect phases, POSTs the results back to the bench server, and
 * goes on to the next entry of its plan (`plan`: contender names in run
 * order, `index`: this page's entry). It needs no driver, so the browser runs
 * without the DevTools protocol.
 */
import { loadContender } from './contender.js';
import { sleep } from './client.js';
import { measureEcho } from './echo.js';
import { measureReconnect } from './reconnect.js';
import { measureThroughput } from './throughput.js';

// Off globalThis: the repository's ESLint config gives bench/ Node globals only.
const { location } = globalThis;
const params = new URLSearchParams(location.search);
const number = (/** @type {string} */ key, /** @type {number} */ fallback) => Number(params.get(key) ?? fallback);
// The warm-up entry (index 0) does a tenth of the work: it only has to get the browser past its first page.
const scale = number('index', 0) === 0 ? 0.1 : 1;
const work = (/** @type {string} */ key, /** @type {number} */ fallback) =>
  Math.max(1, Math.round(number(key, fallback) * scale));
const plan = (params.get('plan') ?? 'raw').split(',');
const index = number('index', 0);
const name = plan[index] ?? 'raw';

/**
 * The smallest step `performance.now()` moves by here: 5 µs in a cross-origin
 * isolated Chromium page; Firefox and WebKit round or jitter it coarser.
 */
function timerResolutionMs() {
  let smallest = Infinity;
  const end = performance.now() + 20;
  let previous = performance.now();
  while (previous < end) {
    const now = performance.now();
    if (now > previous) smallest = Math.min(smallest, now - previous);
    previous = now;
  }
  return Math.round(smallest * 1e6) / 1e6;
}

// `run` (the engine) prefixes the id the server files results under, so a late POST cannot be taken for another run's.
const run = params.get('run');
/** @param {unknown} body */
const post = (body) =>
  fetch(`/results/${run ? `${run}-${index}` : index}`, { method: 'POST', body: JSON.stringify(body) }).catch(() => {});

try {
  const contender = await loadContender(name);
  const ws = `ws://${location.host}/${contender.adapter.endpoints ?? 'ws'}`;
  // Let the previous page's sockets close and the browser's own start-up work finish.
  await sleep(number('settle', index === 0 ? 1000 : 200));
  const throughput = await measureThroughput(contender, `${ws}/push`, {
    frames: work('frames', 100000),
    warmup: work('warmup-frames', 10000),
  });
  const echo = await measureEcho(contender, `${ws}/echo`, {
    count: work('echoes', 2000),
    warmup: work('warmup-echoes', 200),
  });
  const reconnect = await measureReconnect(contender, `${ws}/kill`, {
    kills: work('kills', 20),
    warmup: work('warmup-kills', 2),
  });
  await post({
    contender: name,
    settings: contender.adapter.settings,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    timerResolutionMs: timerResolutionMs(),
    userAgent: globalThis.navigator.userAgent,
    throughput,
    echo,
    reconnect,
  });
} catch (error) {
  await post({ contender: name, error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) });
}

if (index + 1 < plan.length) {
  params.set('index', String(index + 1));
  location.replace(`?${params}`);
}
