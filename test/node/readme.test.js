// @ts-check
// README's tables must say what the Custom Elements Manifest (generated from the source's JSDoc) says,
// so the docs cannot drift from the code. `npm run build` writes custom-elements.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const manifest = JSON.parse(readFileSync(new URL('../../custom-elements.json', import.meta.url), 'utf8'));
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** @type {{ tagName: string, attributes: { name: string, fieldName: string, default?: string }[], events: { name: string }[], slots: { name: string }[], cssStates: { name: string }[], members: { kind: string, name: string, privacy?: string, static?: boolean, readonly?: boolean }[] }} */
const element = manifest.modules
  .flatMap((/** @type {{ declarations: unknown[] }} */ module) => module.declarations)
  .find((/** @type {{ customElement?: boolean }} */ declaration) => declaration.customElement);

/** The rows of the README table under `## heading`, as arrays of cell texts. */
function table(/** @type {string} */ heading) {
  const section = readme.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  assert.ok(section, `README has a "## ${heading}" section`);
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  return rows.slice(2); // the header and its separator
}

/** The first `code span` of a cell, quotes dropped: `"blob"` → blob. */
function code(/** @type {string | undefined} */ cell) {
  const match = /`([^`]*)`/.exec(cell ?? '');
  return match ? match[1].replace(/^["']|["']$/g, '') : undefined;
}

test('the manifest names the tag', () => {
  assert.equal(element.tagName, 'ws-connection');
});

test('the attribute table lists every attribute with its property and default, and nothing else', () => {
  const rows = table('Attributes and properties').filter((row) => row[0] !== '—');
  const fromReadme = rows.map((row) => [code(row[0]), code(row[1]), code(row[3])]);
  const fromManifest = element.attributes.map((attribute) => [
    attribute.name,
    attribute.fieldName,
    attribute.default?.replace(/^["']|["']$/g, ''),
  ]);
  assert.deepEqual(fromReadme, fromManifest);
});

test('the event table lists every event the element fires, and nothing else', () => {
  const fromReadme = table('Events').map((row) => code(row[0]));
  assert.deepEqual([...fromReadme].sort(), element.events.map((event) => event.name).sort());
});

test('the method table lists every public method and read-only property', () => {
  const fromReadme = table('Methods and read-only properties').map((row) => code(row[0])?.replace(/\(.*$/, ''));
  const methods = element.members
    .filter((member) => member.kind === 'method' && (member.privacy ?? 'public') === 'public')
    .map((member) => (member.static ? `WsConnection.${member.name}` : member.name));
  const readOnly = element.members
    .filter(
      (member) =>
        member.kind === 'field' && member.readonly && !member.name.startsWith('#') && member.name !== 'status',
    )
    .map((member) => member.name);
  assert.deepEqual([...fromReadme].sort(), [...methods, ...readOnly].sort());
});

test('the slot table lists every slot, and each status is a CSS state', () => {
  const fromReadme = table('Slots and CSS states').map((row) => code(row[0]) ?? '');
  assert.deepEqual([...fromReadme].sort(), element.slots.map((slot) => slot.name).sort());
  const statuses = table('Status').map((row) => code(row[0]));
  assert.deepEqual(element.cssStates.map((state) => state.name).sort(), [...statuses].sort());
});
