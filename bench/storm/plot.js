// @ts-check
/**
 * The storm histograms as SVG: a Vega-Lite spec, compiled to Vega and
 * rendered headless by Vega in Node (no browser, no hand-made SVG). One
 * panel per jitter setting on a shared y scale, so the peaks compare at a
 * glance; the dashed line is when the server listens again.
 */
import { parse, View } from 'vega';
import { compile } from 'vega-lite';

/** @typedef {{ startMs: number, attempts: number }[]} Windows */

/**
 * @param {{ label: string, column: string, due: Windows, made: Windows }[]} series one per setting: retries by
 *   due time (bars) and attempts as the clients made them (line); `label` picks the row, `column` the column
 * @param {{ windowMs: number, downMs: number, title: string }} meta
 * @returns {Promise<string>} the SVG document
 */
export async function stormSvg(series, { windowMs, downMs, title }) {
  const values = series.flatMap(({ label, column, due, made }) => [
    ...due.map((window) => ({
      setting: label,
      column,
      count: 'due (backoff schedule)',
      ...window,
      endMs: window.startMs + windowMs,
    })),
    ...made.map((window) => ({
      setting: label,
      column,
      count: 'made (sockets constructed)',
      ...window,
      endMs: window.startMs + windowMs,
    })),
  ]);
  const color = {
    field: 'count',
    type: /** @type {const} */ ('nominal'),
    title: null,
    scale: { range: ['#4c78a8', '#f58518'] },
    legend: { orient: /** @type {const} */ ('top'), labelLimit: 0 },
  };
  /** @type {import('vega-lite').TopLevelSpec} */
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start' },
    data: { values },
    facet: {
      row: { field: 'setting', type: 'nominal', title: null },
      column: { field: 'column', type: 'nominal', title: null },
    },
    spec: {
      width: 420,
      height: 130,
      layer: [
        {
          transform: [{ filter: "datum.count === 'due (backoff schedule)'" }],
          mark: { type: 'rect', opacity: 0.85 },
          encoding: {
            x: {
              field: 'startMs',
              type: 'quantitative',
              title: `ms after the server went down (${windowMs} ms windows)`,
            },
            x2: { field: 'endMs' },
            y: { field: 'attempts', type: 'quantitative', title: `per ${windowMs} ms` },
            color,
          },
        },
        {
          transform: [{ filter: "datum.count === 'made (sockets constructed)'" }],
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
          encoding: {
            x: { field: 'startMs', type: 'quantitative' },
            y: { field: 'attempts', type: 'quantitative' },
            color,
          },
        },
        {
          // One row per panel is enough to draw the "server back" line once.
          transform: [{ filter: "datum.startMs === 0 && datum.count === 'made (sockets constructed)'" }],
          mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] },
          encoding: { x: { datum: downMs } },
        },
      ],
    },
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}
