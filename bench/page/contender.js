// @ts-check
/** Loads a contender into the page: its adapter and, if it has one, its bundle. */

/**
 * @param {string} name
 * @returns {Promise<import('./client.js').Contender>}
 */
export async function loadContender(name) {
  if (!/^[a-z-]+$/.test(name)) throw new Error(`Bad contender name: ${name}`);
  const adapter = /** @type {import('../contenders/types.js').Adapter} */ (
    await import(`/bench/contenders/${name}.js`)
  );
  const library = name === 'raw' ? undefined : await import(`/lib/${name}.js`);
  return { adapter, library };
}
