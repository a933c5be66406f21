// @ts-check
/**
 * Writes a result file as Prettier would format it, so `prettier --check .`
 * (part of `npm run lint`) passes on freshly written results.
 */
import { writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';

/**
 * @param {string} file
 * @param {unknown} value
 */
export async function writeJson(file, value) {
  const options = (await resolveConfig(file)) ?? {};
  await writeFile(file, await format(JSON.stringify(value), { ...options, parser: 'json' }));
}
