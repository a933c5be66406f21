/**
 * Same-origin iframes as tabs for the `share="tabs"` browser tests: each a document of its own with its own copy
 * of the bundle (test/fixtures/share-tabs.js makes its element), so they meet only through what real tabs share.
 */
import { waitUntil } from '@open-wc/testing';
import type { WsConnection } from '../../src/ws-connection.js';
import { nextEvent } from './helpers.js';

export interface Tab {
  frame: HTMLIFrameElement;
  element: WsConnection;
  /** Every message the tab's element received, in order. */
  messages: unknown[];
}

/** Every frame made here; a test removes them after itself. */
export const frames: HTMLIFrameElement[] = [];

/** A tab with a member for `url`, its element made by test/fixtures/share-tabs.js. */
export async function openTab(
  url: string,
  { bundle, attrs = {} }: { bundle?: string; attrs?: Record<string, string> } = {},
): Promise<Tab> {
  const frame = document.createElement('iframe');
  const query = new URLSearchParams({ ws: url, attrs: JSON.stringify({ 'retry-delay': '30', ...attrs }) });
  if (bundle) query.set('bundle', bundle);
  frame.src = `/test/fixtures/share-tabs.html?${query}`;
  frames.push(frame);
  const loaded = nextEvent(frame, 'load');
  document.body.append(frame);
  await loaded;
  const frameWindow = frame.contentWindow!;
  await waitUntil(() => frameWindow.document.querySelector('ws-connection')?.isConnected, 'the tab made no element');
  const element = frameWindow.document.querySelector('ws-connection')!;
  const messages: unknown[] = [];
  element.addEventListener('message', (event) => messages.push(event.data));
  return { frame, element, messages };
}
