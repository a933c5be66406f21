// @ts-check
// The gzipped size of each bundle, against a budget set from measurement: a change that grows
// the CDN bundle past it fails here, in `npm test`, rather than surprising users later.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

/**
 * Bytes, gzip level 9, with Lit's ReactiveElement inside. Measured 6,883 (module) and 6,923 (classic) when first
 * set at 7.5 KiB; 7,294 with `<form ws-send>` and the probes; 11,237 and 11,268 with `share` (the page groups,
 * the cross-tab relay and the tab election: 3.9 KB of it), when raised to 11.5 KiB; 12,355 and 12,387 with
 * `handshake`, `rtt`, `clearQueue()` and `{ queue: false }`, when raised to 12.25 KiB until the opt-in parts load
 * as chunks of their own (the 8 KiB first-module budget of the code-splitting issue); 13,933 and 13,968 with
 * `resume` (the client session), 13.75 KiB until then.
 */
const budgets = {
  'dist/ws-connection.min.js': 13.75 * 1024,
  'dist/ws-connection.iife.min.js': 13.75 * 1024,
};

for (const [file, budget] of Object.entries(budgets)) {
  test(`${file} stays within ${budget} bytes gzipped`, (t) => {
    const size = gzipSync(readFileSync(new URL(`../../${file}`, import.meta.url)), { level: 9 }).length;
    t.diagnostic(`${file}: ${size} bytes gzipped (budget ${budget})`);
    console.log(`size: ${file} ${size} B gzipped, budget ${budget} B`);
    assert.ok(size <= budget, `${file} is ${size} bytes gzipped, over its budget of ${budget}`);
  });
}
