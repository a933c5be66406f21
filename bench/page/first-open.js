// @ts-check
/**
 * One page of the first-connection bench (bench/first-open.js): loads the
 * element bundle its entry of the plan names, then times one element with
 * `share="tabs"` from being made and attached to its `open`, POSTs that and
 * goes on to the next entry. Each timing is a fresh document, so the share
 * chunk is fetched anew (the server sends `no-store`), as on a first visit.
 *
 * - `lazy`: the shipped first module; the share chunk comes by `import()` on first use.
 * - `preload`: the same, on a page with `<link rel="modulepreload">` for the chunk.
 * - `inline`: every part in one ES module, as the classic-script bundle is.
 */

// Off globalThis: the repository's ESLint config gives bench/ Node globals only.
const { document, location } = globalThis;
const params = new URLSearchParams(location.search);
const plan = (params.get('plan') ?? 'lazy').split(',');
const index = Number(params.get('index') ?? 0);
const run = params.get('run') ?? 'run';
const variant = plan[index] ?? 'lazy';

await import(/** @type {string} */ (variant === 'inline' ? '/lib/ws-connection-inline.js' : '/lib/ws-connection.js'));
// The bundle's own evaluation and a preload's fetch are not part of what is timed.
await new Promise((resolve) => setTimeout(resolve, 100));

const chunk = new URL('/lib/share.min.js', location.href).href;
const fetchedBefore = performance.getEntriesByName(chunk).length > 0;
const started = performance.now();
const element = /** @type {import('../../dist/ws-connection.js').WsConnection} */ (
  document.createElement('ws-connection')
);
element.setAttribute('share', 'tabs');
element.setAttribute('url', `ws://${location.host}/ws/share?first-open=${run}-${index}`);
const opened = new Promise((resolve) => element.addEventListener('open', resolve, { once: true }));
document.body.append(element);
await opened;
const ms = performance.now() - started;

await fetch(`/results/first-open-${run}-${index}`, {
  method: 'POST',
  body: JSON.stringify({
    variant,
    ms,
    fetchedBefore,
    chunkFetched: performance.getEntriesByName(chunk).length > 0,
    // The chunk's own fetch (request to last byte), to compare the lazy page's extra time with.
    chunkFetchMs: performance.getEntriesByName(chunk)[0]?.duration ?? null,
    userAgent: navigator.userAgent,
  }),
});
element.remove();
if (index + 1 < plan.length) {
  const next = new URLSearchParams(params);
  next.set('index', String(index + 1));
  next.set('preload', plan[index + 1] === 'preload' ? '1' : '0');
  location.href = `/first-open?${next}`;
}
