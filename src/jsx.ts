/**
 * `ws-connection/jsx`: types the plain `<ws-connection>` tag in React 19 JSX.
 * Types only; enable it once in a project with
 * `import type {} from 'ws-connection/jsx';`.
 *
 * What React 19 does with a custom element's props (react-dom's
 * `setPropOnCustomElement`) decides these types:
 * - a prop whose name is a property of the element (`url`, `retryDelay`,
 *   `urlProvider`) is set as that property; any other (`retry-delay`) becomes
 *   an attribute. The tag must be defined first (import `ws-connection`), or
 *   properties fall back to attributes too.
 * - `on` + a name React does not know adds a listener for exactly that name,
 *   case-sensitive: `onstatuschange` listens to `statuschange`, while
 *   `onStatusChange` would listen to `StatusChange`, which never fires.
 * - `onError` and `onClose` are React's own synthetic props; React delegates
 *   them and never sees these non-bubbling events on a custom element, so they
 *   are left out in favour of `onerror` and `onclose`.
 *
 * For camelCase event props use the `ws-connection/react` wrapper instead.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { WsConnectionTagProps } from './element-types.js';
import type { WsConnection } from './ws-connection-element.js';

/** Props of the plain `<ws-connection>` tag in React 19. */
export type WsConnectionJsxProps = Omit<
  DetailedHTMLProps<HTMLAttributes<WsConnection>, WsConnection>,
  'onError' | 'onErrorCapture' | 'onClose' | 'onCloseCapture'
> &
  WsConnectionTagProps;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's types declare elements in the JSX namespace
  namespace JSX {
    interface IntrinsicElements {
      'ws-connection': WsConnectionJsxProps;
    }
  }
}
