import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { CompressedBody } from '../compression.ts';

export interface PageCacheOptions {
  /** How long a rendered page is answered before it is rendered again; 0 renders every request. */
  ttlMs: number;
  /** Pages kept at most (one per language and address); the oldest goes first. */
  maxEntries?: number;
}

interface Entry {
  page: Promise<CompressedBody | undefined>;
  renderedAt: number;
  /** A render in flight to replace a page older than the TTL. */
  refreshing: boolean;
}

/** What `render` gives: the page, or undefined for an answer that is not kept (a 404). */
export type PageRender = () => Promise<JSX.Element | undefined>;

const HTML = { 'Content-Type': 'text/html; charset=UTF-8' };

/**
 * The public pages (the catalog and a product's page), rendered once per language and address
 * and answered from memory, compressed, for `ttlMs`: what a buyer sees of the catalog is at most
 * that much older than the catalog. Such a page depends only on its language, its address and
 * the catalog, never on who asks (no session, no form token), or it must not come through here.
 *
 * One render per page at a time: the requests that arrive while a page is first rendered wait
 * for that render, and a page older than `ttlMs` is still answered while one request renders it
 * anew, so an expiry never makes readers queue. A render that fails is not kept: the next
 * request renders again and meets the same error (the catalog's 503 page).
 */
export class PageCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();

  constructor({ ttlMs, maxEntries = 2_000 }: PageCacheOptions) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  /**
   * Answers `key`'s page (the language and the address) from memory, rendering it with `render`
   * when it is not kept; `headers` go with it (`Vary`). Undefined when `render` gave no page.
   */
  async answer(
    c: Context,
    key: string,
    render: PageRender,
    headers: Record<string, string>,
  ): Promise<Response | undefined> {
    const page = await this.#page(key, render);
    return page?.answer(c, 200, { ...HTML, ...headers });
  }

  #page(key: string, render: PageRender): Promise<CompressedBody | undefined> {
    const rendering = async () => {
      const page = await render();
      return page === undefined
        ? undefined
        : new CompressedBody(`<!doctype html>${page.toString()}`, 'dynamic');
    };
    if (this.#ttlMs === 0) return rendering();
    const entry = this.#entries.get(key);
    if (!entry) return this.#keep(key, rendering()).page;
    if (Date.now() - entry.renderedAt >= this.#ttlMs && !entry.refreshing) {
      entry.refreshing = true;
      const fresh = rendering();
      // The old page is answered until the new one is ready; a failed render drops the entry.
      fresh.then(
        (page) => {
          if (this.#entries.get(key) !== entry) return;
          if (page === undefined) this.#entries.delete(key);
          else this.#keep(key, Promise.resolve(page));
        },
        () => {
          if (this.#entries.get(key) === entry) this.#entries.delete(key);
        },
      );
    }
    return entry.page;
  }

  #keep(key: string, page: Promise<CompressedBody | undefined>): Entry {
    const entry: Entry = { page, renderedAt: Date.now(), refreshing: false };
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, entry);
    const forget = () => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    };
    // A page that failed, or that is not kept (a 404), leaves no entry behind.
    page.then((kept) => kept ?? forget(), forget);
    return entry;
  }
}
