// @ts-check
/**
 * The profiling page: one contender, throughput only, run on command by
 * bench/profile.js through the DevTools protocol while the CPU profiler
 * records. Never used for the measured numbers.
 */
import { loadContender } from './contender.js';
import { measureThroughput } from './throughput.js';

const { location } = globalThis;
const contender = await loadContender(new URLSearchParams(location.search).get('contender') ?? 'raw');

Object.assign(globalThis, {
  profilePage: {
    /** @param {number} frames @param {number} warmup */
    throughput: (frames, warmup) =>
      measureThroughput(contender, `ws://${location.host}/${contender.adapter.endpoints ?? 'ws'}/push`, {
        frames,
        warmup,
      }),
  },
});
