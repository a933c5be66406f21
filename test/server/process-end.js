// @ts-check
/**
 * Runs `callback` once when this Node process ends: on a normal exit, and on
 * SIGINT or SIGTERM, which end a process without an `exit` event. Used to
 * end the helper processes (browsers, WebDriver, Xvfb) a run started.
 * @param {() => void} callback synchronous: nothing asynchronous runs after `exit`
 */
export function onProcessEnd(callback) {
  process.once('exit', callback);
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, () => {
      callback();
      process.exit(130);
    });
  }
}
