// @ts-check
/**
 * Micro-benchmark of the per-frame pieces of re-dispatching a frame as a DOM
 * event, for the profiling report: which construction is cheap, what a
 * dispatch costs. Run by bench/profile.js through the DevTools protocol,
 * with the profiler off.
 */

const { document } = globalThis;
const data = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
const origin = 'ws://127.0.0.1:8080';
// A native-like source event, as the socket hands to `onmessage`.
const source = new MessageEvent('message', { data, origin });

/**
 * A MessageEvent subclass that takes `origin` as a plain field: the init
 * dictionary then carries `data` only, and `origin` skips the dictionary's
 * USVString conversion. Still `instanceof MessageEvent`.
 */
class OriginMessageEvent extends MessageEvent {
  #origin;
  /** @param {unknown} eventData @param {string} eventOrigin */
  constructor(eventData, eventOrigin) {
    super('message', { data: eventData });
    this.#origin = eventOrigin;
  }
  get origin() {
    return this.#origin;
  }
}

/** @type {Record<string, () => unknown>} */
const variants = {
  "new MessageEvent('message', { data, origin })": () => new MessageEvent('message', { data, origin }),
  "new MessageEvent('message', { data })": () => new MessageEvent('message', { data }),
  'new OriginMessageEvent(data, origin) (subclass, origin as a field)': () => new OriginMessageEvent(data, origin),
  'new MessageEvent + initMessageEvent(…, data, origin)': () => {
    const event = new MessageEvent('message');
    event.initMessageEvent('message', false, false, data, origin);
    return event;
  },
  "new Event('message') (no data: the floor)": () => new Event('message'),
  'read event.origin of a received MessageEvent': () => source.origin,
};

/**
 * ns per call of each variant, best of `repeats` batches of `iterations`.
 * Also the cost of one dispatchEvent to one listener on an element.
 * @param {number} iterations
 * @param {number} repeats
 */
function run(iterations, repeats) {
  /** @type {Record<string, number>} */
  const nsPerCall = {};
  let sink = 0;
  for (const [name, variant] of Object.entries(variants)) {
    let best = Infinity;
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      for (let i = 0; i < iterations; i++) if (variant()) sink++;
      best = Math.min(best, ((performance.now() - start) * 1e6) / iterations);
    }
    nsPerCall[name] = best;
  }
  const target = document.createElement('div');
  target.addEventListener('message', () => sink++);
  const event = new MessageEvent('message', { data, origin });
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    // An event may be dispatched again once its previous dispatch is over.
    for (let i = 0; i < iterations; i++) target.dispatchEvent(event);
    best = Math.min(best, ((performance.now() - start) * 1e6) / iterations);
  }
  nsPerCall['dispatchEvent to one listener (event reused)'] = best;
  return { nsPerCall, sink };
}

Object.assign(globalThis, { eventCost: { run } });
