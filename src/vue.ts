/**
 * `ws-connection/vue`: types the plain `<ws-connection>` tag in Vue templates
 * (checked by vue-tsc / Vue - Official), the way Vue's guide types custom
 * elements not built with Vue. Types only; enable it once with
 * `import type {} from 'ws-connection/vue';`, and let the compiler skip the
 * tag with `compilerOptions.isCustomElement: (tag) => tag === 'ws-connection'`.
 *
 * Vue sets a binding as a property when the element has one, by the name as
 * written (`:urlProvider`, `:protocols="['a', 'b']"`; `:url-provider` would be
 * an attribute), and an attribute otherwise; `@statuschange` listens to
 * `statuschange` as written.
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { WsConnectionAttributes, WsConnectionEvents, WsConnectionProperties } from './element-types.js';
import type { WsConnection } from './ws-connection-element.js';

/** `retry-delay` → `retryDelay`. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

type CamelAttributes = { [K in keyof WsConnectionAttributes as Camel<K>]: WsConnectionAttributes[K] };

/**
 * Vue's tooling checks `retry-delay="500"` and `:retryDelay="500"` against the
 * same camelCase prop, so each prop takes both the attribute's value (a
 * string) and the property's (here a number).
 */
type VueProps = {
  [K in keyof WsConnectionProperties]?:
    WsConnectionProperties[K] | (K extends keyof CamelAttributes ? CamelAttributes[K] : never);
};

/** Listener props as Vue names them: `@statuschange` is `onStatuschange`. */
type VueEventProps = {
  [K in keyof WsConnectionEvents as `on${Capitalize<K>}`]?: (event: WsConnectionEvents[K]) => void;
};

/** The element's events in the shape Vue reads `$emit` for `@event` handlers. */
type VueEmit = EmitFn<{ [K in keyof WsConnectionEvents]: (event: WsConnectionEvents[K]) => void }>;

/** What Vue's tooling sees for `<ws-connection>`: an instance type whose `$props` and `$emit` type the template. */
export type WsConnectionVueComponent = new () => WsConnection & {
  /** @deprecated Types template props only; not present on the element. */
  $props: Omit<HTMLAttributes, keyof VueEventProps> & PublicProps & VueProps & VueEventProps;
  /** @deprecated Types template events only; not present on the element. */
  $emit: VueEmit;
};

declare module 'vue' {
  interface GlobalComponents {
    'ws-connection': WsConnectionVueComponent;
  }
}
