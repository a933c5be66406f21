/** Inclusive ranges of WebSocket close codes, `[from, to]`. */
export type CloseCodeRanges = readonly (readonly [number, number])[];

const ENTRY = /^(\d{4})(?:-(\d{4}))?$/;

/**
 * Parses `"1008 4000-4099"` (comma or space separated codes and inclusive
 * ranges). Returns `undefined` when any entry is not a close code (1000–4999)
 * or a range runs backwards, so a typo never silently narrows the list.
 */
export function parseCloseCodes(text: string): CloseCodeRanges | undefined {
  const ranges: [number, number][] = [];
  for (const entry of text.split(/[\s,]+/)) {
    if (entry === '') continue;
    const match = ENTRY.exec(entry);
    if (!match) return undefined;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < 1000 || to > 4999 || to < from) return undefined;
    ranges.push([from, to]);
  }
  return ranges;
}

export function includesCloseCode(ranges: CloseCodeRanges, code: number): boolean {
  return ranges.some(([from, to]) => code >= from && code <= to);
}

/** The inverse of `parseCloseCodes`: `"1008 4000-4099"`. */
export function formatCloseCodes(ranges: CloseCodeRanges): string {
  return ranges.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(' ');
}
