// @ts-check
/**
 * The first-connection bench: how long an element with `share="tabs"` takes
 * from being attached to `open` when the share chunk is loaded on first use
 * (`lazy`), preloaded with `<link rel="modulepreload">` (`preload`), or
 * inside one all-in-one module (`inline`, built here as the classic-script
 * bundle is, with rollup.config.js's plugins). One fresh page per timing, the
 * three in alternating order (lazy preload inline, preload inline lazy, …)
 * so drift hits all alike; the pages run themselves (bench/page/first-open.js),
 * no driver attached. The difference lazy − inline is the chunk's fetch from
 * the local bench server and its evaluation.
 */
import { median, percentile } from './stats.js';

export const FIRST_OPEN_VARIANTS = /** @type {const} */ (['lazy', 'preload', 'inline']);

/**
 * @param {Awaited<ReturnType<typeof import('./bench-server.js').startBenchServer>>} server
 * @param {(url: string) => Promise<{ close(): Promise<unknown> }>} launch a fresh browser at `url`
 * @param {{ engine: string, rounds: number }} options
 */
export async function runFirstOpenBench(server, launch, { engine, rounds }) {
  const started = Date.now();
  const variants = [...FIRST_OPEN_VARIANTS];
  // Entry 0 warms the fresh browser up; not recorded. Each round rotates the order by one.
  const plan = [
    'lazy',
    ...Array.from({ length: rounds }, (_, round) => [
      ...variants.slice(round % variants.length),
      ...variants.slice(0, round % variants.length),
    ]).flat(),
  ];
  const query = new URLSearchParams({ plan: plan.join(','), index: '0', run: engine, preload: '0' });
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(variants.map((variant) => [variant, []]));
  /** @type {number[]} the share chunk's fetch, request to last byte, on the lazy pages */
  const chunkFetches = [];
  /** @type {string[]} */
  const anomalies = [];
  let userAgent = null;
  const browser = await launch(`${server.origin}/first-open?${query}`);
  try {
    for (let index = 0; index < plan.length; index++) {
      /** @type {{ variant: string, ms: number, fetchedBefore: boolean, chunkFetched: boolean, chunkFetchMs: number | null, userAgent: string }} */
      const result = await server.result(`first-open-${engine}-${index}`, 30_000);
      userAgent = result.userAgent;
      if (index === 0) continue;
      samples[result.variant]?.push(result.ms);
      if (result.variant === 'lazy' && result.chunkFetchMs !== null) chunkFetches.push(result.chunkFetchMs);
      // The chunk must be fetched by the lazy and preload pages (before timing only when preloaded), never inline.
      const expected = { lazy: [false, true], preload: [true, true], inline: [false, false] }[result.variant];
      if (expected && (expected[0] !== result.fetchedBefore || expected[1] !== result.chunkFetched))
        anomalies.push(
          `${result.variant} page ${index}: chunk fetched before ${result.fetchedBefore}, at all ${result.chunkFetched}`,
        );
    }
  } finally {
    await browser.close();
  }
  const rows = variants.map((variant) => {
    const values = /** @type {number[]} */ (samples[variant]);
    return { variant, samples: values.length, medianMs: median(values), p90Ms: percentile(values, 90), values };
  });
  const byVariant = Object.fromEntries(rows.map((row) => [row.variant, row.medianMs]));
  return {
    engine,
    userAgent,
    rounds,
    rows,
    chunkFetchMedianMs: median(chunkFetches),
    lazyMinusInlineMs: (byVariant.lazy ?? NaN) - (byVariant.inline ?? NaN),
    preloadMinusInlineMs: (byVariant.preload ?? NaN) - (byVariant.inline ?? NaN),
    anomalies,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

/** @param {Awaited<ReturnType<typeof runFirstOpenBench>>[]} results */
export function firstOpenTable(results) {
  const lines = ['| engine | share chunk | median ms | p90 ms | samples |', '| --- | --- | ---: | ---: | ---: |'];
  for (const result of results)
    for (const row of result.rows)
      lines.push(
        `| ${result.engine} | ${row.variant} | ${row.medianMs.toFixed(2)} | ${row.p90Ms.toFixed(2)} | ${row.samples} |`,
      );
  return lines.join('\n');
}
