/**
 * A module reached through `import()` on first use, so that bundlers (the
 * CDN build's rollup, an app's Vite) split it into a chunk of its own that
 * only the pages using it fetch. The `import()` must stay in the caller's
 * source, with a literal specifier, for bundlers to see it:
 * `new LazyModule(() => import('./share/sharing.js'))`.
 *
 * `current` is the module once loaded, so everything after the first use
 * runs synchronously, as with a static import. A failed load is forgotten:
 * the next `load()` imports again. Engines that follow whatwg/html#10327
 * fetch the chunk anew then; older ones keep the failure until the page
 * reloads (https://github.com/whatwg/html/issues/6768).
 */
export class LazyModule<M> {
  current: M | undefined;
  readonly #import: () => Promise<M>;
  #loading: Promise<M> | undefined;

  constructor(load: () => Promise<M>) {
    this.#import = load;
  }

  /** The module, importing it unless already under way; concurrent callers share one import. */
  load(): Promise<M> {
    return (this.#loading ??= this.#import().then(
      (module) => (this.current = module),
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    ));
  }
}
