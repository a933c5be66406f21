const SCHEMES: Readonly<Record<string, string>> = {
  'ws:': 'ws:',
  'wss:': 'wss:',
  'http:': 'ws:',
  'https:': 'wss:',
};

/**
 * Turns what a user wrote into a URL the WebSocket constructor accepts:
 * relative URLs resolve against `base`, `http:`/`https:` become `ws:`/`wss:`.
 * Returns `undefined` for anything else, so the caller can report it instead
 * of letting the constructor throw.
 */
export function resolveSocketUrl(raw: string, base?: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return undefined;
  }
  const scheme = SCHEMES[url.protocol];
  if (scheme === undefined) return undefined;
  url.protocol = scheme;
  // Older browsers throw on a fragment in a WebSocket URL; it never reaches the server anyway.
  url.hash = '';
  return url.href;
}
