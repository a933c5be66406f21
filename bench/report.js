// @ts-check
/**
 * Turns the per-round results into medians, ratios to the raw socket, the
 * issue's targets (met or missed) and the one markdown table `npm run bench`
 * prints.
 */
import { median } from './stats.js';

/**
 * What one page POSTed for one contender in one round.
 * @typedef {object} RunResult
 * @property {string} contender
 * @property {string} settings
 * @property {{ framesPerSecond: number, ms: number }} throughput
 * @property {{ medianMs: number, p99Ms: number, meanMs: number, perTripMs: number }} echo
 * @property {{ medianMs: number, scheduledMs: number, overheadMs: number }} reconnect
 */

/**
 * Which echo figure the ratios use: each trip's median where the clock
 * resolves a trip finely (Chromium's 5 µs), else total time / count, which a
 * coarse clock (Firefox, WebKit) still measures to one step over 2,000 trips.
 * @typedef {'median' | 'total/count'} EchoBasis
 */

/** The coarsest clock step, ms, at which the echo ratios still use per-trip medians. */
export const FINE_CLOCK_MS = 0.005;

/** @param {number} timerResolutionMs @returns {EchoBasis} */
export const echoBasisFor = (timerResolutionMs) => (timerResolutionMs <= FINE_CLOCK_MS ? 'median' : 'total/count');

/**
 * @param {{
 *   contenders: readonly import('./contenders/index.js').Contender[],
 *   runs: (RunResult & { round: number })[],
 *   libraries: Map<string, { bytes: number, gzipBytes: number, source: string, version: string | null }>,
 *   echoBasis: EchoBasis,
 * }} input
 */
export function summarize({ contenders, runs, libraries, echoBasis }) {
  const rows = contenders.map((contender) => {
    const mine = runs.filter((run) => run.contender === contender.name);
    const library = libraries.get(contender.name);
    return {
      name: contender.name,
      label: contender.label,
      version: library?.version ?? null,
      settings: mine[0]?.settings ?? '',
      rounds: mine.length,
      size: library
        ? { minifiedBytes: library.bytes, gzipBytes: library.gzipBytes, bundled: library.source }
        : { minifiedBytes: 0, gzipBytes: 0, bundled: 'none: built into the browser' },
      throughput: {
        framesPerSecond: median(mine.map((run) => run.throughput.framesPerSecond)),
        perRound: mine.map((run) => Math.round(run.throughput.framesPerSecond)),
      },
      echo: {
        medianMs: median(mine.map((run) => run.echo.medianMs)),
        p99Ms: median(mine.map((run) => run.echo.p99Ms)),
        meanMs: median(mine.map((run) => run.echo.meanMs)),
        perTripMs: median(mine.map((run) => run.echo.perTripMs)),
        perRoundMedianMs: mine.map((run) => round3(run.echo.medianMs)),
        perRoundPerTripMs: mine.map((run) => round3(run.echo.perTripMs)),
      },
      reconnect: {
        medianMs: median(mine.map((run) => run.reconnect.medianMs)),
        scheduledMs: median(mine.map((run) => run.reconnect.scheduledMs)),
        overheadMs: median(mine.map((run) => run.reconnect.overheadMs)),
        perRoundMedianMs: mine.map((run) => round3(run.reconnect.medianMs)),
      },
    };
  });
  const raw = rows.find((row) => row.name === 'raw');
  const echoOf = (/** @type {typeof raw} */ row) =>
    row ? (echoBasis === 'median' ? row.echo.medianMs : row.echo.perTripMs) : NaN;
  return rows.map((row) => ({
    ...row,
    throughput: {
      ...row.throughput,
      ratioToRaw: row.throughput.framesPerSecond / (raw?.throughput.framesPerSecond ?? NaN),
    },
    echo: { ...row.echo, basis: echoBasis, ratioToRaw: echoOf(row) / echoOf(raw) },
  }));
}

/** @typedef {ReturnType<typeof summarize>[number]} Row */

/** @param {Row} row the echo figure the ratios use */
const echoMs = (row) => (row.echo.basis === 'median' ? row.echo.medianMs : row.echo.perTripMs);

/**
 * `<ws-connection>` against partysocket, the peer that also dispatches a DOM
 * event per frame: push > 1 and echo < 1 mean the element is faster.
 * @param {Row[]} rows
 */
export function elementVsPartysocket(rows) {
  const element = rows.find((row) => row.name === 'ws-connection');
  const party = rows.find((row) => row.name === 'partysocket');
  if (!element || !party) return null;
  return {
    push: element.throughput.framesPerSecond / party.throughput.framesPerSecond,
    echo: echoMs(element) / echoMs(party),
    echoBasis: element.echo.basis,
  };
}

/**
 * `<ws-connection resume>` against the plain element in the same run: what the session protocol costs.
 * Push > 1 and echo < 1 would mean resume is faster.
 * @param {Row[]} rows
 */
export function resumeVsElement(rows) {
  const element = rows.find((row) => row.name === 'ws-connection');
  const resume = rows.find((row) => row.name === 'ws-connection-resume');
  if (!element || !resume) return null;
  return {
    push: resume.throughput.framesPerSecond / element.throughput.framesPerSecond,
    pushPerRound: resume.throughput.perRound.map((fps, i) => fps / (element.throughput.perRound[i] ?? NaN)),
    echo: echoMs(resume) / echoMs(element),
    echoBasis: element.echo.basis,
    reconnect: resume.reconnect.medianMs / element.reconnect.medianMs,
  };
}

/** @param {number} value */
const round3 = (value) => Math.round(value * 1000) / 1000;
/** @param {number} value @param {number} digits */
const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
/** @param {number} value */
const thousands = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—');

/**
 * The issue's targets for `<ws-connection>`, each with the measured value and whether it is met.
 * @param {Row[]} rows
 */
export function evaluateTargets(rows) {
  const versus = resumeVsElement(rows);
  const resume = versus
    ? [
        {
          target: 'resume: push ≥ 0.85× the plain element',
          measured: `${fixed(versus.push, 2)}×`,
          met: versus.push >= 0.85,
        },
      ]
    : [];
  const element = rows.find((row) => row.name === 'ws-connection');
  const party = rows.find((row) => row.name === 'partysocket');
  if (!element || !party) return resume;
  const echoDelta = element.echo.ratioToRaw - 1;
  return [
    ...resume,
    {
      target: 'throughput ≥ 0.9× raw',
      measured: `${fixed(element.throughput.ratioToRaw, 2)}×`,
      met: element.throughput.ratioToRaw >= 0.9,
    },
    {
      target: 'throughput ahead of partysocket',
      measured: `${thousands(element.throughput.framesPerSecond)} vs ${thousands(party.throughput.framesPerSecond)} frames/s`,
      met: element.throughput.framesPerSecond > party.throughput.framesPerSecond,
    },
    {
      target: `echo ${element.echo.basis === 'median' ? 'median' : 'time per trip (total/count)'} within 3 % of raw`,
      measured: `${echoDelta >= 0 ? '+' : ''}${fixed(echoDelta * 100, 1)} %`,
      met: Math.abs(echoDelta) <= 0.03,
    },
    {
      target: 'reconnect ≤ scheduled delay + 20 ms',
      measured: `${fixed(element.reconnect.medianMs, 1)} ms, scheduled ${fixed(element.reconnect.scheduledMs, 0)} ms`,
      met: element.reconnect.overheadMs <= 20,
    },
  ];
}

/**
 * The one markdown table.
 * @param {Row[]} rows
 */
export function markdownTable(rows) {
  const header = [
    'contender',
    'push (frames/s)',
    '× raw',
    'echo median (ms)',
    'echo total/count (ms)',
    `echo × raw (${rows[0]?.echo.basis ?? 'median'})`,
    'echo p99 (ms)',
    'reconnect (ms)',
    'scheduled (ms)',
    'reconnect − scheduled (ms)',
    'min+gz (bytes)',
    'reconnect settings',
  ];
  const lines = rows.map((row) => [
    // Code spans: a bare `<ws-connection>` would be read as an HTML tag and vanish from the rendered table.
    row.name.startsWith('ws-connection') ? `\`${row.label}\`` : `${row.label}${row.version ? ` ${row.version}` : ''}`,
    thousands(row.throughput.framesPerSecond),
    fixed(row.throughput.ratioToRaw, 2),
    fixed(row.echo.medianMs, 3),
    fixed(row.echo.perTripMs, 3),
    fixed(row.echo.ratioToRaw, 3),
    fixed(row.echo.p99Ms, 3),
    fixed(row.reconnect.medianMs, 1),
    fixed(row.reconnect.scheduledMs, 0),
    fixed(row.reconnect.overheadMs, 1),
    thousands(row.size.gzipBytes),
    `\`${row.settings}\``,
  ]);
  const escape = (/** @type {string} */ cell) => cell.replaceAll('|', '\\|');
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.map(escape).join(' | ')} |`).join('\n');
}

/**
 * The short table README keeps per engine: each contender's push and echo
 * against the raw socket and against partysocket, and its reconnect time.
 * @param {Row[]} rows
 */
export function ratioTable(rows) {
  const raw = rows.find((row) => row.name === 'raw');
  const party = rows.find((row) => row.name === 'partysocket');
  const basis = rows[0]?.echo.basis ?? 'median';
  const header = [
    'contender',
    'push (frames/s)',
    '× raw',
    '× partysocket',
    `echo, ${basis} (ms)`,
    '× raw',
    '× partysocket',
    'reconnect (ms)',
  ];
  const lines = rows.map((row) => [
    row.name.startsWith('ws-connection') ? `\`${row.label}\`` : `${row.label}${row.version ? ` ${row.version}` : ''}`,
    thousands(row.throughput.framesPerSecond),
    fixed(row.throughput.ratioToRaw, 2),
    fixed(row.throughput.framesPerSecond / (party?.throughput.framesPerSecond ?? NaN), 2),
    fixed(echoMs(row), 3),
    fixed(echoMs(row) / (raw ? echoMs(raw) : NaN), 2),
    fixed(echoMs(row) / (party ? echoMs(party) : NaN), 2),
    fixed(row.reconnect.medianMs, 1),
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
