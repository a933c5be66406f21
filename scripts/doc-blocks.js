// @ts-check
/**
 * The code blocks of README.md, CONTRIBUTING.md, CHANGELOG.md and docs/*.md,
 * and the checks that keep them true. test/node/docs.test.js runs them.
 *
 * The first line of every fenced block is a comment that says what it is:
 *
 * - `// fragment` (or `<!-- fragment -->`, `# fragment`, `/* fragment *\/`,
 *   any text may follow): a piece of something larger, read but not checked.
 * - `// checked: KIND`: a whole page, module, component or command list,
 *   checked by the check `KIND` of `checks` below on every test run.
 *
 * A block with neither fails the docs test, and so does an unknown KIND.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** Every page whose code blocks and links are checked, relative to the repository. */
export function pages() {
  const top = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md'].filter((page) => existsSync(join(root, page)));
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return [...top, ...docs];
}

/**
 * @typedef {object} Block
 * @property {string} page the page, relative to the repository
 * @property {number} line the line of the opening fence, 1-based
 * @property {string} lang the fence's info string, first word
 * @property {string} code the block's text, its indentation removed
 * @property {'fragment' | 'checked' | undefined} marker
 * @property {string | undefined} kind the check a `checked:` block names
 */

const MARKER = /^(?:\/\/|#|<!--|\/\*)\s*(fragment\b|checked:\s*([a-z][a-z-]*))/;

/** The fenced code blocks of one page. @returns {Block[]} */
export function blocksOf(/** @type {string} */ page) {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  /** @type {Block[]} */
  const blocks = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[index] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const body = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      const line = lines[end] ?? '';
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    const code = body.join('\n');
    const first = MARKER.exec((body[0] ?? '').trim());
    blocks.push({
      page,
      line: index + 1,
      lang,
      code,
      marker: first ? (first[2] ? 'checked' : 'fragment') : undefined,
      kind: first?.[2],
    });
    index = end;
  }
  return blocks;
}

/** Every block of every page. */
export function allBlocks() {
  return pages().flatMap(blocksOf);
}

const where = (/** @type {Block} */ block) => `${block.page}:${block.line}`;

/** A scratch folder inside the repository, so that imports resolve through its node_modules. */
function scratch(/** @type {string} */ name) {
  const folder = join(root, '.test-results', name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  return folder;
}

const fileName = (/** @type {Block} */ block, /** @type {string} */ ext) =>
  `${block.page.replace(/[/.]/g, '-')}-L${block.line}.${ext}`;

/** The custom element as custom-elements.json (written by `npm run build`) declares it. */
function manifestElement() {
  const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  return manifest.modules
    .flatMap((/** @type {{ declarations: unknown[] }} */ module) => module.declarations)
    .find((/** @type {{ customElement?: boolean }} */ declaration) => declaration.customElement);
}

/**
 * @typedef {object} Check
 * @property {string} description what the check proves, for the test's name
 * @property {string[]} langs the fence languages it accepts
 * @property {(blocks: Block[]) => Promise<string[]> | string[]} run the failures, one line each
 */

/** @type {Record<string, Check>} */
export const checks = {
  typescript: {
    description: 'type-checked by tsc against src/, with the repository tsconfig (strict)',
    langs: ['ts', 'tsx', 'js'],
    run(blocks) {
      const folder = scratch('doc-blocks-typescript');
      const files = blocks.map((block) => {
        const name = fileName(block, block.lang);
        writeFileSync(join(folder, name), block.code);
        return { name, block };
      });
      const src = relative(folder, join(root, 'src'));
      writeFileSync(
        join(folder, 'tsconfig.json'),
        JSON.stringify({
          extends: relative(folder, join(root, 'tsconfig.json')),
          compilerOptions: {
            noEmit: true,
            jsx: 'react-jsx',
            allowJs: true,
            checkJs: true,
            // Each block is a module of its own, even one without imports.
            moduleDetection: 'force',
            paths: {
              'ws-connection': [`${src}/ws-connection.ts`],
              'ws-connection/element': [`${src}/ws-connection-element.ts`],
              'ws-connection/core': [`${src}/core/index.ts`],
              'ws-connection/react': [`${src}/react.ts`],
              'ws-connection/jsx': [`${src}/jsx.ts`],
              'ws-connection/vue': [`${src}/vue.ts`],
            },
          },
          files: files.map((file) => file.name),
        }),
      );
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = spawnSync(process.execPath, [tsc, '-p', folder, '--pretty', 'false'], { encoding: 'utf8' });
      if (result.status === 0) return [];
      // `file(line,col): error TS…` → the page and line the error is on.
      return (result.stdout + result.stderr)
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const match = /^(.*?)\((\d+),\d+\): (.*)$/.exec(line);
          const file = match && files.find((candidate) => basename(match[1] ?? '') === candidate.name);
          return file && match ? `${file.block.page}:${file.block.line + 1 + Number(match[2]) - 1}: ${match[3]}` : line;
        });
    },
  },

  esbuild: {
    description: "built by esbuild (syntax and TypeScript's erasable types; the framework is not installed here)",
    langs: ['ts', 'tsx', 'js', 'jsx', 'svelte'],
    async run(blocks) {
      const esbuild = await import('esbuild');
      /** @type {string[]} */
      const failures = [];
      for (const block of blocks) {
        // A Svelte component: its script is TypeScript; the markup needs Svelte's compiler.
        const code =
          block.lang === 'svelte' ? (/<script[^>]*>([\s\S]*?)<\/script>/.exec(block.code)?.[1] ?? '') : block.code;
        const loader = block.lang === 'svelte' ? 'ts' : /** @type {'ts' | 'tsx' | 'js' | 'jsx'} */ (block.lang);
        // A Svelte script starts a line below its <script> tag: count from there, not from the block.
        const offset =
          block.lang === 'svelte' ? block.code.slice(0, block.code.indexOf('<script')).split('\n').length - 1 : 0;
        try {
          await esbuild.transform(code, { loader, jsx: 'preserve' });
        } catch (error) {
          const first = /** @type {{ errors?: { text: string, location?: { line: number } }[] }} */ (error).errors?.[0];
          const line = block.line + offset + (first?.location?.line ?? 1);
          failures.push(`${block.page}:${line}: ${first?.text ?? String(error)}`);
        }
      }
      return failures;
    },
  },

  'vue-sfc': {
    description: "compiled by Vue's single-file-component compiler, script and template",
    langs: ['vue'],
    async run(blocks) {
      const sfc = await import('@vue/compiler-sfc');
      /** @type {string[]} */
      const failures = [];
      for (const [index, block] of blocks.entries()) {
        const { descriptor, errors } = sfc.parse(block.code, { filename: fileName(block, 'vue') });
        const id = `doc${index}`;
        try {
          if (errors.length > 0) throw errors[0];
          sfc.compileScript(descriptor, { id });
          const template = sfc.compileTemplate({
            source: descriptor.template?.content ?? '',
            filename: fileName(block, 'vue'),
            id,
            compilerOptions: { isCustomElement: (tag) => tag === 'ws-connection' },
          });
          if (template.errors.length > 0) throw template.errors[0];
        } catch (error) {
          failures.push(`${where(block)}: ${String(error)}`);
        }
      }
      return failures;
    },
  },

  'node-import': {
    description: 'imported by Node: its imports resolve and it runs',
    langs: ['js'],
    async run(blocks) {
      const folder = scratch('doc-blocks-node-import');
      /** @type {string[]} */
      const failures = [];
      for (const block of blocks) {
        const file = join(folder, fileName(block, 'mjs'));
        writeFileSync(file, block.code);
        try {
          await import(pathToFileURL(file).href);
        } catch (error) {
          failures.push(`${where(block)}: ${String(error)}`);
        }
      }
      return failures;
    },
  },

  'html-page': {
    description:
      "a page whose <ws-connection> tags use only the manifest's attributes and slots, whose listeners name its events, whose scripts build and whose bundle is built",
    langs: ['html'],
    async run(blocks) {
      const esbuild = await import('esbuild');
      const element = manifestElement();
      const attributes = new Set(element.attributes.map((/** @type {{ name: string }} */ a) => a.name));
      const slots = new Set(element.slots.map((/** @type {{ name: string }} */ s) => s.name));
      const events = new Set(element.events.map((/** @type {{ name: string }} */ e) => e.name));
      const globalAttribute = /^(id|class|style|slot|hidden|title|lang|dir|tabindex|part|aria-.+|data-.+)$/;
      const domEvents = new Set(['click', 'submit', 'input', 'change']);
      /** @type {string[]} */
      const failures = [];
      for (const block of blocks) {
        const fail = (/** @type {string} */ text) => failures.push(`${where(block)}: ${text}`);
        for (const [, attrs = ''] of block.code.matchAll(/<ws-connection\b([^>]*)>/g)) {
          for (const [, name = ''] of attrs.matchAll(/([a-z][a-z-]*)(?:=|\s|$)/g)) {
            if (!attributes.has(name) && !globalAttribute.test(name)) fail(`<ws-connection> has no attribute ${name}`);
          }
        }
        for (const [, name = ''] of block.code.matchAll(/\bslot="([^"]*)"/g)) {
          if (!slots.has(name)) fail(`<ws-connection> has no slot ${name}`);
        }
        // A script's src, and a preloaded chunk's href, name a file the CDN build writes.
        const sources = [
          ...block.code.matchAll(/<script[^>]*\bsrc="([^"]*)"/g),
          ...block.code.matchAll(/<link[^>]*\brel="modulepreload"[^>]*\bhref="([^"]*)"/g),
        ];
        for (const [, src = ''] of sources) {
          const shipped = /^https:\/\/cdn\.jsdelivr\.net\/npm\/ws-connection\/(dist\/[\w.-]+\.js)$/.exec(src);
          if (!shipped?.[1]) fail(`script ${src} is not the package's CDN bundle`);
          else if (!existsSync(join(root, shipped[1]))) fail(`${shipped[1]} is not built (npm run build)`);
        }
        for (const [, script = ''] of block.code.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)) {
          try {
            await esbuild.transform(script, { loader: 'js', sourcefile: where(block) });
          } catch (error) {
            fail(String(error));
          }
          for (const [, name = ''] of script.matchAll(/addEventListener\('([^']+)'/g)) {
            if (!events.has(name) && !domEvents.has(name)) fail(`the element fires no ${name} event`);
          }
        }
      }
      return failures;
    },
  },

  example: {
    description:
      'the example file its first line names (`checked: example PATH`), line for line; the test suite runs that file',
    langs: ['js', 'html'],
    run(blocks) {
      /** @type {string[]} */
      const failures = [];
      for (const block of blocks) {
        const [marker = '', ...rest] = block.code.split('\n');
        const path = /checked:\s*example\s+(\S+?)(?:\s*-->)?$/.exec(marker.trim())?.[1];
        if (!path || !existsSync(join(root, path))) {
          failures.push(`${where(block)}: names no example file (${marker.trim()})`);
          continue;
        }
        const file = readFileSync(join(root, path), 'utf8').trimEnd();
        if (rest.join('\n').trimEnd() !== file) failures.push(`${where(block)}: differs from ${path}`);
      }
      return failures;
    },
  },

  commands: {
    description:
      'shell commands whose npm scripts exist in package.json, whose files exist, and whose Debian packages are the ones .ci/run installs',
    langs: ['sh'],
    run(blocks) {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
      const ciPackages = new Set(
        [...readFileSync(join(root, '.ci', 'run'), 'utf8').matchAll(/^need \S+ (\S+)$/gm)].map((match) => match[1]),
      );
      /** @type {string[]} */
      const failures = [];
      for (const block of blocks) {
        block.code.split('\n').forEach((text, offset) => {
          const fail = (/** @type {string} */ why) => failures.push(`${block.page}:${block.line + 1 + offset}: ${why}`);
          // Leading VAR=value assignments and a trailing comment are not the command.
          const line = text
            .replace(/#.*$/, '')
            .trim()
            .replace(/^(?:[A-Z_]+=\S+\s+)+/, '');
          if (line === '') return;
          for (const command of line.split(/\s*&&\s*/)) {
            const words = command.split(/\s+/);
            const [program, first, second] = words;
            if (program === 'npm' && first === 'run') {
              if (!second || !(second in pkg.scripts)) fail(`package.json has no script ${second}`);
            } else if (program === 'npm' && (first === 'start' || first === 'test')) {
              if (!(first in pkg.scripts)) fail(`package.json has no script ${first}`);
            } else if (program === 'npm' && first === 'ci') {
              // always there
            } else if (program === 'npm' && first === 'install') {
              // The package itself, or one the project installs and tests with.
              const known = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
              for (const name of words.slice(2).filter((word) => word !== pkg.name && !(word in known)))
                fail(`installs ${name}, which the project does not test with`);
            } else if (program === 'node' || program === 'npx') {
              const file = program === 'node' ? words.slice(1).find((word) => !word.startsWith('-')) : undefined;
              if (file && !existsSync(join(root, file))) fail(`${file} does not exist`);
              if (program === 'npx' && !existsSync(join(root, 'node_modules', '.bin', first ?? '')))
                fail(`${first} is not a dev dependency`);
            } else if (program === 'apt-get' && first === 'install') {
              for (const name of words.slice(2).filter((word) => !word.startsWith('-'))) {
                if (!ciPackages.has(name)) fail(`.ci/run does not install ${name}`);
              }
            } else if (program?.startsWith('./') || program?.startsWith('.ci/')) {
              if (!existsSync(join(root, program))) fail(`${program} does not exist`);
            } else {
              fail(`no check knows the command "${command}": add one to scripts/doc-blocks.js`);
            }
          }
        });
      }
      return failures;
    },
  },
};

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(/** @type {string} */ heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** A page's lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(/** @type {string} */ page) {
  /** @type {{ line: number, text: string }[]} */
  const prose = [];
  let fence = '';
  readFileSync(join(root, page), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const open = /^\s*(`{3,}|~{3,})/.exec(text);
      if (open?.[1] && (fence === '' || open[1].startsWith(fence))) fence = fence === '' ? open[1] : '';
      else if (fence === '') prose.push({ line: index + 1, text });
    });
  return prose;
}

/** The anchors of a page's headings, numbered as GitHub numbers repeated ones (`-1`, `-2`). */
export function anchorsOf(/** @type {string} */ page) {
  /** @type {Map<string, number>} */
  const seen = new Map();
  const anchors = new Set();
  for (const { text } of proseLines(page)) {
    const heading = /^#{1,6} (.+)$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/**
 * The relative links of a page, outside code: `[text](target)` and
 * `[text]: target`. Absolute URLs (`https:` …) are left to the reader.
 */
export function linksOf(/** @type {string} */ page) {
  /** @type {{ line: number, target: string }[]} */
  const links = [];
  for (const { line, text } of proseLines(page)) {
    const outsideCode = text.replace(/`[^`]*`/g, '');
    for (const [, target = ''] of outsideCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push({ line, target });
    for (const [, target = ''] of outsideCode.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)) links.push({ line, target });
  }
  return links.filter((link) => !/^[a-z][a-z+.-]*:/i.test(link.target));
}

/** Where a relative link from `page` leads: the file and the anchor, if any. */
export function resolveLink(/** @type {string} */ page, /** @type {string} */ target) {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? page : relative(root, join(root, dirname(page), decodeURIComponent(path)));
  return { file, anchor };
}
