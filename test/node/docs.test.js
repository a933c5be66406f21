// @ts-check
// The docs cannot drift: every code block of README.md, CONTRIBUTING.md, CHANGELOG.md and docs/*.md is either
// marked a fragment or checked here by the check its first line names (scripts/doc-blocks.js says how), and every
// relative link between the pages leads to a file and, with `#anchor`, to a heading there.
// `npm run build` first: the checks read custom-elements.json and the built bundle.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { allBlocks, anchorsOf, checks, linksOf, pages, resolveLink, root } from '../../scripts/doc-blocks.js';

const blocks = allBlocks();

test('every code block says on its first line whether it is a fragment or which check it passes', () => {
  const unmarked = blocks
    .filter((block) => block.marker === undefined)
    .map((block) => `${block.page}:${block.line} (${block.lang || 'no language'})`);
  assert.deepEqual(unmarked, [], 'mark each block `// fragment` or `// checked: KIND` on its first line');
  const unknown = blocks
    .filter((block) => block.marker === 'checked' && !(block.kind && block.kind in checks))
    .map((block) => `${block.page}:${block.line}: checked: ${block.kind}`);
  assert.deepEqual(unknown, [], `known checks: ${Object.keys(checks).join(', ')}`);
  const wrongLanguage = blocks
    .filter((block) => block.kind && block.kind in checks && !checks[block.kind]?.langs.includes(block.lang))
    .map((block) => `${block.page}:${block.line}: ${block.kind} does not take ${block.lang || 'no language'}`);
  assert.deepEqual(wrongLanguage, []);
});

for (const [kind, check] of Object.entries(checks)) {
  const checked = blocks.filter((block) => block.kind === kind);
  // A check no block asks for has nothing to run: no test rather than a skipped one.
  if (checked.length === 0) continue;
  test(`checked: ${kind}, ${check.description} (${checked.length} blocks)`, async () => {
    assert.deepEqual(await check.run(checked), []);
  });
}

test('every page in docs/ is linked from README', () => {
  const linked = new Set(linksOf('README.md').map((link) => resolveLink('README.md', link.target).file));
  const unlinked = pages().filter((page) => page.startsWith('docs/') && !linked.has(page));
  assert.deepEqual(unlinked, []);
});

test('every relative link leads to a file, and every #anchor to a heading of the page it names', () => {
  /** @type {string[]} */
  const broken = [];
  for (const page of pages()) {
    for (const { line, target } of linksOf(page)) {
      const { file, anchor } = resolveLink(page, target);
      if (!existsSync(join(root, file))) broken.push(`${page}:${line}: ${target}: no file ${file}`);
      else if (anchor !== undefined && !file.endsWith('.md')) broken.push(`${page}:${line}: ${target}: not a page`);
      else if (anchor !== undefined && !anchorsOf(file).has(anchor))
        broken.push(`${page}:${line}: ${target}: ${file} has no heading #${anchor}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('the link checker reads headings as GitHub anchors them', async () => {
  const { slug } = await import('../../scripts/doc-blocks.js');
  assert.equal(slug('Sharing one connection (`share`)'), 'sharing-one-connection-share');
  assert.equal(slug('`ws-connection/server`: the protocol'), 'ws-connectionserver-the-protocol');
  assert.equal(slug('Try it, test it'), 'try-it-test-it');
  assert.ok(readFileSync(join(root, 'README.md'), 'utf8').startsWith('# '));
});
