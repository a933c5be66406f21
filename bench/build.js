// @ts-check
/**
 * Everything the bench pages load, built in memory: the element bundle as
 * shipped, each peer bundled and minified for the browser, and the core for
 * the leak page. Sizes are measured on exactly the bytes the page runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { contenders } from './contenders/index.js';

export const root = new URL('..', import.meta.url).pathname;
export const elementBundle = join(root, 'dist/ws-connection.min.js');
/** The chunks rollup writes beside it (`share.min.js`, `resume.min.js`), which it imports by those names. */
const chunkFiles = () =>
  readdirSync(join(root, 'dist')).filter(
    (file) => file.endsWith('.min.js') && file !== 'ws-connection.min.js' && file !== 'ws-connection.iife.min.js',
  );
export const coreEntry = join(root, 'dist/core/index.js');

/** The newest modification time under a folder, ms. */
function newest(/** @type {string} */ dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** Runs `npm run build` when dist/ is missing or older than src/, so the bench measures the current source. */
export function ensureDist() {
  const missing = !existsSync(elementBundle) || !existsSync(coreEntry);
  if (!missing && statSync(elementBundle).mtimeMs >= newest(join(root, 'src'))) return;
  console.log(missing ? 'dist/ missing: npm run build' : 'dist/ older than src/: npm run build');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/**
 * @typedef {object} Bundle
 * @property {string} code
 * @property {number} bytes minified
 * @property {number} gzipBytes minified, then gzip -9
 * @property {string} source what was bundled
 */

/** @param {string} code @param {string} source @returns {Bundle} */
function measured(code, source) {
  return { code, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length, source };
}

/**
 * Bundles `entry` (module source) for the browser, minified, as one ES module.
 * @param {string} entry
 * @param {{ minify?: boolean }} [options]
 */
async function bundle(entry, options = {}) {
  const minify = options.minify ?? true;
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    // Readable names for the profiler; whitespace and syntax still minified so the code is alike.
    ...(minify ? {} : { minifyWhitespace: true, minifySyntax: true }),
    legalComments: 'none',
    write: false,
  });
  return /** @type {string} */ (result.outputFiles[0]?.text);
}

/** @param {string} packageName */
function packageVersion(packageName) {
  // Read from node_modules directly: some packages' `exports` hide their package.json.
  const file = join(root, 'node_modules', packageName, 'package.json');
  return /** @type {{ version: string }} */ (JSON.parse(readFileSync(file, 'utf8'))).version;
}

/**
 * The libraries the bench pages import from `/lib/NAME.js`, with their sizes.
 * @returns {Promise<Map<string, Bundle & { version: string | null }>>}
 */
export async function buildLibraries() {
  /** @type {Map<string, Bundle & { version: string | null }>} */
  const libraries = new Map();
  const pkg = /** @type {{ version: string }} */ (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));
  for (const contender of contenders) {
    if (contender.name === 'ws-connection' || contender.name === 'ws-connection-resume') {
      const code = readFileSync(elementBundle, 'utf8');
      libraries.set(contender.name, { ...measured(code, 'dist/ws-connection.min.js'), version: pkg.version });
    } else if (contender.entry && contender.packageName) {
      const code = await bundle(contender.entry);
      libraries.set(contender.name, {
        ...measured(code, `esbuild --bundle --minify of: ${contender.entry}`),
        version: packageVersion(contender.packageName),
      });
    }
  }
  // Not contenders: the chunks beside the element bundle (served as /lib/share.min.js and so on, where the bundle
  // imports them from), and every part in one ES module for the first-connection bench (bench/first-open.js).
  for (const file of chunkFiles()) {
    libraries.set(file.slice(0, -'.js'.length), {
      ...measured(readFileSync(join(root, 'dist', file), 'utf8'), `dist/${file}`),
      version: pkg.version,
    });
  }
  libraries.set('ws-connection-inline', { ...(await buildInlineElement()), version: pkg.version });
  // The core for the leak page's counting-clock cycles.
  const core = await bundle(`export * from ${JSON.stringify(coreEntry)};`);
  libraries.set('core', { ...measured(core, 'dist/core/index.js'), version: pkg.version });
  return libraries;
}

/**
 * The element bundled from dist/ without identifier mangling, for the
 * profiler: the same code as the shipped bundle, but with readable names.
 */
export async function buildReadableElement() {
  return bundle(`import ${JSON.stringify(join(root, 'dist/ws-connection.js'))};`, { minify: false });
}

/**
 * The element as one ES module with every part inside, as the classic-script
 * bundle is: rollup.config.js's first build (its input and plugins) with the
 * dynamic imports inlined instead of written as chunks.
 * @returns {Promise<Bundle>}
 */
async function buildInlineElement() {
  // By URL, so the bench's type check does not take in the config's own plugin typings.
  const configUrl = pathToFileURL(join(root, 'rollup.config.js')).href;
  const configs = /** @type {import('rollup').RollupOptions[]} */ ((await import(configUrl)).default);
  const [config] = configs;
  if (!config) throw new Error('rollup.config.js has no build');
  const bundled = await rollup({ input: join(root, String(config.input)), plugins: config.plugins, onwarn: () => {} });
  try {
    const { output } = await bundled.generate({ format: 'es', inlineDynamicImports: true });
    return measured(/** @type {string} */ (output[0]?.code), 'rollup.config.js, dynamic imports inlined');
  } finally {
    await bundled.close();
  }
}
