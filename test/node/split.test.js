// @ts-check
// npm users' bundlers split as the CDN build does: Vite builds a page that uses neither share nor resume
// (test/fixtures/vite-plain) from the package's unbundled modules (dist/), and the code the page loads first holds
// none of src/share nor the resume session, each in a chunk of its own that the page fetches only through import().
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('../fixtures/vite-plain/', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'ws-connection-vite-'));
after(() => rmSync(outDir, { recursive: true, force: true }));

/** Text that only the share chunk's modules hold: the election's, and the relay's channel and its messages. */
const shareMarkers = [/TabElection: start\(\) after stop\(\)/, /BroadcastChannel/, /["']written["']/];
/** Text that only the session's module holds: its welcome check and its acknowledgement frame. */
const resumeMarkers = [/the first frame is not a welcome/, /"t":"a","ack"/];

test('a Vite build of a page without share loads none of src/share first; it is a chunk of its own', async () => {
  await build({
    root,
    logLevel: 'warn',
    configFile: false,
    resolve: { alias: { 'ws-connection': fileURLToPath(new URL('../../dist/ws-connection.js', import.meta.url)) } },
    build: { outDir, emptyOutDir: true, minify: false },
  });
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="\/([^"]+)"/.exec(html)?.[1];
  assert.ok(entry, 'the page has its entry script');
  const first = readFileSync(join(outDir, entry), 'utf8');
  assert.match(first, /class \w+ extends \w+|customElements/, 'the element is in the first chunk');
  for (const marker of shareMarkers) assert.ok(!marker.test(first), `the first chunk holds src/share (${marker})`);

  const assets = readdirSync(join(outDir, 'assets')).filter((file) => file.endsWith('.js'));
  const chunks = assets.filter((file) => `assets/${file}` !== entry);
  const shareChunk = chunks.find((file) =>
    shareMarkers.every((marker) => marker.test(readFileSync(join(outDir, 'assets', file), 'utf8'))),
  );
  assert.ok(shareChunk, `a chunk holds src/share (chunks: ${chunks.join(', ')})`);
  assert.ok(first.includes(`import("./${shareChunk}")`) || first.includes(shareChunk), 'the first chunk imports it');

  for (const marker of resumeMarkers) assert.ok(!marker.test(first), `the first chunk holds the session (${marker})`);
  const resumeChunk = chunks.find((file) =>
    resumeMarkers.every((marker) => marker.test(readFileSync(join(outDir, 'assets', file), 'utf8'))),
  );
  assert.ok(resumeChunk, `a chunk holds the session (chunks: ${chunks.join(', ')})`);
});
