import { resolveSocketUrl } from '../core/socket-url.js';

/** `page`: one connection for the document's elements; `tabs`: for every tab of the origin. */
export type ShareScope = 'page' | 'tabs';

/** `""` (not shared) or a scope; anything else warns and means `""`. */
export function parseShare(text: string | null): ShareScope | '' {
  if (text === null || text === '' || text === 'page' || text === 'tabs') return text ?? '';
  console.warn(`<ws-connection>: ignoring share="${text}"; using the default (not shared).`);
  return '';
}

/**
 * Which elements share: the same scope, the resolved URL (`http:` → `ws:`,
 * relative → absolute) and the same protocols. A URL that does not resolve
 * keys by its text, so its group fails with `invalid-url` like a lone element.
 */
export function shareKey(scope: ShareScope, url: string, protocols: readonly string[], baseUrl?: string): string {
  return JSON.stringify([scope, resolveSocketUrl(url, baseUrl) ?? url, protocols]);
}
