import { parseCloseCodes } from './core/close-codes.js';
import type { ConnectionOptions } from './core/options.js';

/** Options the element takes from attributes; `urlProvider`, `handshake` and `baseUrl` have none. */
export type AttributeOption = Exclude<keyof ConnectionOptions, 'urlProvider' | 'handshake' | 'baseUrl'>;

/** Parses an attribute's text; `undefined` means the value is bad. */
type Parse<K extends AttributeOption> = (text: string) => ConnectionOptions[K] | undefined;

// setTimeout fires at once for delays past 2^31 - 1 ms, so larger values are out of range.
const MAX_DELAY = 2 ** 31 - 1;

function number(min: number, max: number, integer = false): (text: string) => number | undefined {
  return (text) => {
    const value = text.trim() === '' ? NaN : Number(text);
    if (Number.isNaN(value) || value < min || value > max) return undefined;
    return integer && !Number.isInteger(value) ? undefined : value;
  };
}

const delay = number(0, MAX_DELAY);
const string = (text: string): string => text;
const flag = (): boolean => true;

const parsers: { readonly [K in AttributeOption]: Parse<K> } = {
  url: (text) => text.trim(),
  protocols: (text) => text.split(/[\s,]+/).filter((protocol) => protocol !== ''),
  binaryType: (text) => (text === 'blob' || text === 'arraybuffer' ? text : undefined),
  json: flag,
  resume: flag,
  retryDelay: delay,
  retryMaxDelay: delay,
  retryFactor: number(1, Number.MAX_VALUE),
  retryJitter: number(0, 1),
  maxRetries: (text) => (text.trim() === 'Infinity' ? Infinity : number(0, Number.MAX_SAFE_INTEGER, true)(text)),
  connectTimeout: delay,
  minUptime: delay,
  heartbeatInterval: delay,
  heartbeatMessage: string,
  heartbeatReply: string,
  heartbeatTimeout: number(1, MAX_DELAY),
  queueLimit: number(0, Number.MAX_SAFE_INTEGER, true),
  stopCodes: parseCloseCodes,
};

/** `retryDelay` → `retry-delay`. */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Attribute name → option, for every option the element observes. */
export const optionByAttribute: ReadonlyMap<string, AttributeOption> = new Map(
  (Object.keys(parsers) as AttributeOption[]).map((option) => [kebab(option), option]),
);

/** Attribute name of an option (`retryDelay` → `retry-delay`). */
export function attributeOf(option: AttributeOption): string {
  return kebab(option);
}

/**
 * The option value for an attribute's text: `null` (attribute absent) gives
 * the default; a bad value gives the default and one warning naming both.
 */
export function parseAttribute<K extends AttributeOption>(
  option: K,
  text: string | null,
  fallback: ConnectionOptions[K],
): ConnectionOptions[K] {
  if (text === null) return fallback;
  const value = parsers[option](text);
  if (value !== undefined) return value;
  console.warn(
    `<ws-connection>: ignoring ${attributeOf(option)}="${text}"; using the default (${describe(fallback)}).`,
  );
  return fallback;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}
