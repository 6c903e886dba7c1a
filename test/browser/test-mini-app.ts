/**
 * A tiny Mini App for the sandbox's browser tests, served on an origin of its own: it reads its
 * launch parameters from the hash, has its server check initData with the bot's token (the shared
 * validator, as auth does), speaks Telegram's web protocol to its parent (JSON strings
 * {eventType, eventData}), and shows every event it receives. `window.tma` lets a test act as the
 * app's own code would.
 */
import { checkInitData, initDataKey } from '@shop/shared';
import { serveForTest } from '@shop/testkit';
import { Hono } from 'hono';

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Test Mini App</title><script type="module" src="/app.js"></script></head>
  <body>
    <h1>Test Mini App</h1>
    <p id="verified">checking…</p>
    <p id="place"></p>
    <ol id="events"></ol>
  </body>
</html>`;

// Runs in the browser: plain JavaScript, as a Mini App ships it.
const SCRIPT = `
const launch = new URLSearchParams(location.hash.slice(1));
const received = [];
const post = (eventType, eventData) =>
  window.parent.postMessage(JSON.stringify({ eventType, eventData }), '*');
window.addEventListener('message', (event) => {
  if (event.source !== window.parent) return;
  let message;
  try { message = JSON.parse(event.data); } catch { return; }
  received.push(message);
  const item = document.createElement('li');
  item.dataset.event = message.eventType;
  item.textContent = JSON.stringify(message);
  document.getElementById('events').append(item);
  if (message.eventType === 'theme_changed') paint(message.eventData.theme_params);
});
function paint(theme) {
  document.body.style.background = theme.bg_color;
  document.body.style.color = theme.text_color;
}
window.tma = {
  post,
  received,
  initData: launch.get('tgWebAppData'),
  version: launch.get('tgWebAppVersion'),
  platform: launch.get('tgWebAppPlatform'),
  themeParams: JSON.parse(launch.get('tgWebAppThemeParams') ?? 'null'),
  invoiceSlug: async (payload) => (await (await fetch('/invoice?payload=' + encodeURIComponent(payload), { method: 'POST' })).json()).slug,
};
document.getElementById('place').textContent = location.pathname + location.search;
if (window.tma.themeParams) paint(window.tma.themeParams);
post('iframe_ready', { reload_supported: true });
const verdict = await (await fetch('/verify', { method: 'POST', body: window.tma.initData ?? '' })).json();
document.getElementById('verified').textContent = verdict.ok ? 'verified ' + verdict.user.id : 'refused ' + verdict.reason;
post('web_app_ready');
`;

export interface TestMiniAppOptions {
  botToken: string;
  /** The Bot API root (the sandbox) the app's server makes invoice links with. */
  apiRoot: string;
}

/** Serves the test Mini App at `<url>/app` on a free loopback port. */
export async function startTestMiniApp({ botToken, apiRoot }: TestMiniAppOptions) {
  const key = initDataKey(botToken);
  const app = new Hono();
  app.get('/app', (c) => c.html(PAGE));
  app.get('/app.js', (c) => c.body(SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.post('/verify', async (c) => {
    const now = Math.floor(Date.now() / 1000);
    const verdict = checkInitData(await c.req.text(), key, { maxAgeSeconds: 3600, skewSeconds: 60, now });
    return c.json(verdict);
  });
  // The shop's server would make the link for an order; here: 50 Stars for the payload asked.
  app.post('/invoice', async (c) => {
    const response = await fetch(`${apiRoot}/bot${botToken}/createInvoiceLink`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        title: 'Order #7',
        description: 'Green tea × 1',
        payload: c.req.query('payload') ?? 'order:7',
        currency: 'XTR',
        prices: [{ label: 'Green tea', amount: 50 }],
      }),
    });
    const { result } = (await response.json()) as { result: string };
    return c.json({ slug: result.replace('https://t.me/$', '') });
  });
  const served = await serveForTest({ fetch: app.fetch });
  return { ...served, appUrl: `${served.url}/app` };
}
