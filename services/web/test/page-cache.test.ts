import { Hono } from 'hono';
import { raw } from 'hono/html';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PageCache, type PageRender } from '../src/routes/page-cache.ts';

/** A page whose text is `text`, rendered when asked, each render counted; `gate` holds renders back. */
function pages() {
  const state = { text: 'first', renders: 0, fail: false, missing: false };
  let release: () => void = () => undefined;
  let gate: Promise<void> | undefined;
  const render: PageRender = async () => {
    state.renders++;
    const text = state.text;
    if (gate) await gate;
    if (state.fail) throw new Error('catalog down');
    return state.missing ? undefined : raw(`<p>${text}</p>`);
  };
  return {
    state,
    render,
    /** Renders from now on wait until `open()`. */
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    open() {
      gate = undefined;
      release();
    },
  };
}

function served(cache: PageCache, render: PageRender) {
  const app = new Hono();
  app.onError((_error, c) => c.text('failed', 500));
  app.get('/:key', async (c) => (await cache.answer(c, c.req.param('key'), render, {})) ?? c.notFound());
  return async (key = 'a') => {
    const res = await app.request(`/${key}`);
    return { status: res.status, text: await res.text() };
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PageCache', () => {
  it('renders a page once for the requests that arrive while it is first rendered', async () => {
    const page = pages();
    const get = served(new PageCache({ ttlMs: 60_000 }), page.render);
    page.hold();
    const waiting = Promise.all([get(), get(), get()]);
    page.open();
    expect((await waiting).map(({ text }) => text)).toEqual(Array(3).fill('<!doctype html><p>first</p>'));
    expect(page.state.renders).toBe(1);
  });

  it('answers an expired page while one request renders it anew, then the new one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const page = pages();
    const get = served(new PageCache({ ttlMs: 1_000 }), page.render);
    await get();
    page.state.text = 'second';
    vi.advanceTimersByTime(999);
    expect((await get()).text).toContain('first');
    expect(page.state.renders).toBe(1);

    vi.advanceTimersByTime(1);
    page.hold();
    expect((await get()).text).toContain('first');
    expect((await get()).text).toContain('first');
    expect(page.state.renders).toBe(2);
    page.open();
    await vi.waitFor(async () => expect((await get()).text).toContain('second'));
    expect(page.state.renders).toBe(2);
  });

  it('keeps neither a render that failed nor one that gave no page', async () => {
    const page = pages();
    const get = served(new PageCache({ ttlMs: 60_000 }), page.render);
    page.state.fail = true;
    expect((await get()).status).toBe(500);
    page.state.fail = false;
    page.state.missing = true;
    expect((await get()).status).toBe(404);
    page.state.missing = false;
    expect((await get()).text).toContain('first');
    expect(page.state.renders).toBe(3);
  });

  it('drops an expired page whose new render failed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const page = pages();
    const get = served(new PageCache({ ttlMs: 1_000 }), page.render);
    await get();
    vi.advanceTimersByTime(1_000);
    page.state.fail = true;
    expect((await get()).text).toContain('first');
    await vi.waitFor(async () => expect((await get()).status).toBe(500));
  });

  it('keeps at most maxEntries pages, the oldest going first, and none with a TTL of 0', async () => {
    const page = pages();
    const get = served(new PageCache({ ttlMs: 60_000, maxEntries: 2 }), page.render);
    await get('a');
    await get('b');
    await get('c');
    expect(page.state.renders).toBe(3);
    await get('c');
    await get('b');
    expect(page.state.renders).toBe(3);
    await get('a');
    expect(page.state.renders).toBe(4);

    const uncached = pages();
    const every = served(new PageCache({ ttlMs: 0 }), uncached.render);
    await every();
    await every();
    expect(uncached.state.renders).toBe(2);
  });
});
