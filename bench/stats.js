// @ts-check
/**
 * Order statistics shared by the Node drivers and the bench pages (served to
 * the browser as is, so no Node imports here).
 */

/**
 * The median: the middle value, or the mean of the two middle ones.
 * @param {readonly number[]} values
 * @returns {number} NaN for no values
 */
export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? /** @type {number} */ (sorted[middle])
    : /** @type {number} */ (sorted[middle - 1] + /** @type {number} */ (sorted[middle])) / 2;
}

/**
 * The nearest-rank percentile: the smallest value with at least `p` % of
 * the values at or below it (p99 of 2,000 samples is the 1,980th smallest).
 * @param {readonly number[]} values
 * @param {number} p 0 < p ≤ 100
 * @returns {number} NaN for no values
 */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return /** @type {number} */ (sorted[rank - 1]);
}

/**
 * @param {readonly number[]} values
 * @returns {number} NaN for no values
 */
export function mean(values) {
  return values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}
