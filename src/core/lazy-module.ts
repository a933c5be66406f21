/** Imports a module by URL: `import()` itself, injected so that unit tests can stand in for the network. */
export type UrlImport = (url: string) => Promise<unknown>;

// `@vite-ignore`: Vite would warn that it cannot bundle an import of a URL known only at run time.
const importUrl: UrlImport = (url) => import(/* @vite-ignore */ url);

/**
 * The chunk's absolute URL, as Chromium ("Failed to fetch dynamically
 * imported module: URL") and Firefox ("error loading dynamically imported
 * module: URL") name it in the error of a failed fetch; an error the chunk
 * threw itself names none.
 */
function failedUrl(error: unknown): string | undefined {
  return /dynamically imported module: (https?:\/\/\S+)/.exec(String(error))?.[1];
}

/**
 * A module reached through `import()` on first use, so that bundlers (the
 * CDN build's rollup, an app's Vite) split it into a chunk of its own that
 * only the pages using it fetch. The `import()` must stay in the caller's
 * source, with a literal specifier, for bundlers to see it:
 * `new LazyModule(() => import('./share/sharing.js'))`.
 *
 * `current` is the module once loaded, so everything after the first use
 * runs synchronously, as with a static import. A failed load is forgotten:
 * the next `load()` imports again. Chromium and Firefox keep a failed
 * `import()` in the page's module map (whatwg/html#6768), so importing the
 * same URL again fails at once without a fetch: a retry imports the URL
 * their error names with a query of its own (`?retry=1`, `?retry=2`…),
 * which is a new entry in that map. The chunk's own imports resolve without
 * the query, to the modules already loaded. WebKit fetches anew by itself
 * and names no URL, so it retries the specifier.
 */
export class LazyModule<M> {
  current: M | undefined;
  readonly #import: () => Promise<M>;
  readonly #importUrl: UrlImport;
  #loading: Promise<M> | undefined;
  /** The URL the first failure named, if it named one. */
  #url: string | undefined;
  #retries = 0;

  constructor(load: () => Promise<M>, { importUrl: importByUrl = importUrl }: { importUrl?: UrlImport } = {}) {
    this.#import = load;
    this.#importUrl = importByUrl;
  }

  /** The module, importing it unless already under way; concurrent callers share one import. */
  load(): Promise<M> {
    return (this.#loading ??= this.#fetch().then(
      (module) => (this.current = module),
      (error: unknown) => {
        this.#loading = undefined;
        this.#url ??= failedUrl(error);
        throw error;
      },
    ));
  }

  #fetch(): Promise<M> {
    const url = this.#url;
    if (url === undefined) return this.#import();
    return this.#importUrl(`${url}?retry=${++this.#retries}`) as Promise<M>;
  }
}
