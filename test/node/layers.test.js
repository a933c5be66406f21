// @ts-check
// What may import what in src/ (docs/architecture.md, "What may import what"): the core knows nothing above it,
// sharing knows only the core (and the attribute names it warns with), and only the framework entries import a
// framework. Read from each module's `import … from` and `export … from` lines.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every .ts module under src/, relative to it. */
const modules = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.split('\\').join('/'));

/** What a module imports: other modules of src/ (relative to src/, `.ts`) and packages by name. */
function importsOf(/** @type {string} */ module) {
  const text = readFileSync(join(src, module), 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s+'([^']+)'/gm)].map(
    (match) => match[1] ?? '',
  );
  const bare = [...text.matchAll(/^\s*import\s+'([^']+)'/gm)].map((match) => match[1] ?? '');
  return [...specifiers, ...bare].map((specifier) =>
    specifier.startsWith('.')
      ? relative(src, normalize(join(src, dirname(module), specifier)))
          .split('\\')
          .join('/')
          .replace(/\.js$/, '.ts')
      : specifier,
  );
}

/** The imports of the modules matching `from` that `allowed` refuses, as `module → import`. */
function refused(
  /** @type {(module: string) => boolean} */ from,
  /** @type {(imported: string) => boolean} */ allowed,
) {
  return modules.filter(from).flatMap((module) =>
    importsOf(module)
      .filter((imported) => !allowed(imported))
      .map((imported) => `${module} → ${imported}`),
  );
}

test('src/core imports only src/core', () => {
  assert.deepEqual(
    refused(
      (module) => module.startsWith('core/'),
      (imported) => imported.startsWith('core/'),
    ),
    [],
  );
});

test('src/share imports only src/core, src/share and the attribute names', () => {
  assert.deepEqual(
    refused(
      (module) => module.startsWith('share/'),
      (imported) =>
        imported.startsWith('core/') || imported.startsWith('share/') || imported === 'attribute-options.ts',
    ),
    [],
  );
});

test('only the framework entries import a framework, and nothing below the element imports it', () => {
  const frameworkEntries = new Set(['react.ts', 'jsx.ts', 'vue.ts', 'element-types.ts']);
  assert.deepEqual(
    refused(
      (module) => !frameworkEntries.has(module),
      (imported) => !/^(react|react-dom|vue|@lit\/react)(\/|$)/.test(imported),
    ),
    [],
  );
  assert.deepEqual(
    refused(
      (module) => module.startsWith('core/') || module.startsWith('share/'),
      (imported) => !imported.startsWith('ws-connection') && !imported.startsWith('@lit/'),
    ),
    [],
  );
});
