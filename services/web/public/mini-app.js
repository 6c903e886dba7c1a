// The storefront's Telegram Mini App bridge, written to Telegram's documented protocol
// (core.telegram.org/api/web-events, core.telegram.org/bots/webapps). Outside Telegram it does
// nothing: the page keeps its own buttons. Inside it, it signs the page in with the launch's
// initData, takes Telegram's theme, and hands the page's main action and way back to Telegram's
// Main Button and Back Button; on an order page, Pay opens the order's invoice (openInvoice).
(() => {
  'use strict';
  const LAUNCH = 'shop-mini-app:launch';
  const SIGN_IN = 'shop-mini-app:signed-in-with';
  const DEPTH = 'shop-mini-app:depth';
  const root = document.documentElement;
  const body = document.body;

  const stored = (key) => {
    try {
      return JSON.parse(sessionStorage.getItem(key) ?? 'null');
    } catch {
      return null;
    }
  };
  const store = (key, value) => {
    try {
      sessionStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage refused (a strict privacy mode): this page still works, the next one starts afresh.
    }
  };
  const parsed = (json) => {
    try {
      return JSON.parse(json);
    } catch {
      return null;
    }
  };

  // Launch parameters come in the address's hash when Telegram opens the app; the pages after it
  // have none. They are kept for this frame's session (as Telegram's own script does), and, where a
  // browser denies a frame its storage, the Mini App's session keeps them for its pages (a meta
  // tag). The initData is taken out of the address so it stays out of history and bookmarks.
  const hash = new URLSearchParams(location.hash.slice(1));
  const justSignedIn = hash.get('shopSignedIn') === '1';
  let launch = null;
  if (hash.has('tgWebAppVersion') || hash.has('tgWebAppData')) {
    launch = {
      initData: hash.get('tgWebAppData') ?? '',
      version: hash.get('tgWebAppVersion') ?? '6.0',
      platform: hash.get('tgWebAppPlatform') ?? 'unknown',
      theme: parsed(hash.get('tgWebAppThemeParams') ?? '{}') ?? {},
    };
    if (!justSignedIn) store(DEPTH, 0);
    store(LAUNCH, launch);
    history.replaceState(history.state, '', location.pathname + location.search);
  } else {
    const kept = parsed(document.querySelector('meta[name="mini-app-launch"]')?.content ?? 'null');
    launch = stored(LAUNCH) ?? (kept && { initData: '', ...kept });
  }

  const proxy = window.TelegramWebviewProxy;
  const external = window.external;
  const inFrame = window.parent !== window;
  // Telegram's clients post events one of three ways: a native proxy (mobile and desktop apps), the
  // Windows Phone app's window.external.notify, or a message to the parent (the web clients).
  const transport =
    proxy && typeof proxy.postEvent === 'function'
      ? 'proxy'
      : external && typeof external.notify === 'function'
        ? 'notify'
        : inFrame
          ? 'frame'
          : null;
  if (!launch || !transport) return;

  const postEvent = (eventType, eventData) => {
    if (transport === 'proxy') proxy.postEvent(eventType, JSON.stringify(eventData));
    else if (transport === 'notify') external.notify(JSON.stringify({ eventType, eventData }));
    // Any target: only Telegram's clients may frame the storefront (its frame-ancestors).
    else window.parent.postMessage(JSON.stringify({ eventType, eventData }), '*');
  };

  const handlers = {};
  const receiveEvent = (eventType, eventData) => {
    const handler = handlers[eventType];
    if (handler) handler(eventData ?? {});
  };
  window.Telegram = window.Telegram ?? {};
  window.Telegram.WebView = { ...window.Telegram.WebView, receiveEvent };
  window.TelegramGameProxy = { ...window.TelegramGameProxy, receiveEvent };
  window.TelegramGameProxy_receiveEvent = receiveEvent;
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || typeof event.data !== 'string') return;
    const message = parsed(event.data);
    if (!message || typeof message.eventType !== 'string') return;
    if (message.eventType === 'reload_iframe') {
      postEvent('iframe_will_reload');
      location.reload();
      return;
    }
    receiveEvent(message.eventType, message.eventData);
  });

  /** Whether the client's Mini App version is at least `wanted` ("6.1"). */
  const supports = (wanted) => {
    const [major = 0, minor = 0] = String(launch.version).split('.').map(Number);
    const [wantMajor, wantMinor] = wanted.split('.').map(Number);
    return major > wantMajor || (major === wantMajor && minor >= wantMinor);
  };

  // Theme: Telegram's colours become CSS variables (--tg-theme-bg-color, ...), and the scheme
  // their background makes picks the colours Telegram leaves out (style.css).
  const COLOR = /^#[0-9a-f]{6}$/i;
  const channels = (color) => [1, 3, 5].map((at) => parseInt(color.slice(at, at + 2), 16));
  const isDark = (color) => {
    if (!COLOR.test(color ?? '')) return window.matchMedia('(prefers-color-scheme: dark)').matches;
    const [r, g, b] = channels(color);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
  };
  // WCAG's contrast ratio of two #RRGGBB colours, and one colour moved toward another.
  const luminance = (color) => {
    const [r, g, b] = channels(color).map((c) =>
      c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4,
    );
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  const mix = (color, toward, share) => {
    const [from, to] = [channels(color), channels(toward)];
    return `#${from
      .map((c, i) =>
        Math.round(c + (to[i] - c) * share)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`;
  };
  // `color`, moved toward black or white just enough to read at 4.5:1 on each of `backgrounds`.
  const legible = (color, backgrounds) => {
    const toward = backgrounds.every(isDark) ? '#ffffff' : '#000000';
    for (let share = 0; share < 1; share += 0.05) {
      const shown = mix(color, toward, share);
      if (backgrounds.every((background) => contrast(shown, background) >= 4.5)) return shown;
    }
    return toward;
  };
  // Telegram's own themes draw links, hints and button labels below 4.5:1 (links #3390ec on white,
  // 3.3:1; #8774e1 on #212121, 4.3:1): the page shows those colours just readable enough. Telegram's
  // Main Button keeps the theme's own.
  const readable = (given) => {
    const shown = { ...given };
    const pages = [given.bg_color, given.secondary_bg_color].filter((color) => COLOR.test(color ?? ''));
    for (const key of ['link_color', 'hint_color'])
      if (COLOR.test(given[key] ?? '') && pages.length > 0) shown[key] = legible(given[key], pages);
    if (COLOR.test(given.button_color ?? '') && COLOR.test(given.button_text_color ?? ''))
      shown.button_color = legible(given.button_color, [given.button_text_color]);
    return shown;
  };
  let theme = launch.theme;
  let themed = [];
  const applyTheme = (next) => {
    theme = next && typeof next === 'object' ? next : {};
    // A new theme replaces the old one whole: a colour it leaves out is the scheme's again.
    for (const property of themed) root.style.removeProperty(property);
    themed = [];
    for (const [key, value] of Object.entries(readable(theme))) {
      if (!/^[a-z_]{1,40}$/.test(key) || !COLOR.test(String(value))) continue;
      const property = `--tg-theme-${key.replaceAll('_', '-')}`;
      root.style.setProperty(property, value);
      themed.push(property);
    }
    root.dataset.tgScheme = isDark(theme.bg_color) ? 'dark' : 'light';
  };
  applyTheme(theme);
  handlers.theme_changed = ({ theme_params: themeParams }) => {
    applyTheme(themeParams);
    store(LAUNCH, { ...launch, theme });
    showMain();
  };
  handlers.viewport_changed = ({ height, is_state_stable: stable }) => {
    if (typeof height !== 'number') return;
    root.style.setProperty('--tg-viewport-height', `${height}px`);
    if (stable) root.style.setProperty('--tg-viewport-stable-height', `${height}px`);
  };

  // A Mini App's session: every form and request that changes something carries its CSRF token.
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content;
  if (csrf) {
    for (const form of document.querySelectorAll('form[method="post"]')) {
      const field = document.createElement('input');
      field.type = 'hidden';
      field.name = 'csrf';
      field.value = csrf;
      form.append(field);
    }
  }

  // Sign in as the launch's Telegram user, once per launch: a page not signed in as them sends the
  // initData (auth checks Telegram's signature) and loads again, the launch in its hash. Still not
  // signed in then, the browser kept the session's cookie out (a frame's third-party cookies).
  const initData = new URLSearchParams(launch.initData);
  const launchUser = parsed(initData.get('user') ?? 'null');
  const signedInAs = body.dataset.telegramUser;
  if (launchUser && Number.isSafeInteger(launchUser.id) && String(launchUser.id) !== signedInAs) {
    if (justSignedIn) {
      if (signedInAs === undefined)
        document.querySelector('[data-mini-app-problem]')?.removeAttribute('hidden');
    } else if (stored(SIGN_IN) !== initData.get('hash')) {
      store(SIGN_IN, initData.get('hash'));
      const { version, platform } = launch;
      fetch('/session/telegram', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          initData: launch.initData,
          launch: { version, platform, theme: launch.theme },
        }),
        credentials: 'same-origin',
      }).then(
        (response) => {
          if (response.status !== 204) return;
          const again = new URLSearchParams({
            tgWebAppData: launch.initData,
            tgWebAppVersion: version,
            tgWebAppPlatform: platform,
            tgWebAppThemeParams: JSON.stringify(launch.theme),
            shopSignedIn: '1',
          });
          history.replaceState(history.state, '', `${location.pathname}${location.search}#${again}`);
          location.reload();
        },
        () => {},
      );
    }
  }

  // Main Button: the page's main action (`data-main-button`, its text) in Telegram's button.
  let mainElement = document.querySelector('[data-main-button]');
  const pay = mainElement?.closest('[data-pay]') ?? null;
  let mainBusy = false;
  // Once the order is paid, the Main Button takes the buyer back to the chat (web_app_close).
  let closeText = null;
  function showMain() {
    if (!mainElement && !closeText) {
      postEvent('web_app_setup_main_button', { is_visible: false });
      return;
    }
    postEvent('web_app_setup_main_button', {
      is_visible: true,
      is_active: !mainBusy && !mainElement?.disabled,
      is_progress_visible: mainBusy,
      text: mainElement?.dataset.mainButton ?? closeText,
      ...(COLOR.test(theme.button_color ?? '') ? { color: theme.button_color } : {}),
      ...(COLOR.test(theme.button_text_color ?? '') ? { text_color: theme.button_text_color } : {}),
    });
  }
  const busy = (value) => {
    mainBusy = value;
    showMain();
  };
  const pressMain = () => {
    if (!mainElement && closeText) return postEvent('web_app_close');
    if (!mainElement || mainBusy || mainElement.disabled) return;
    if (pay) return startPayment();
    const form = mainElement.form;
    if (form) {
      if (!form.checkValidity()) return form.reportValidity();
      busy(true);
      return form.requestSubmit(mainElement);
    }
    busy(true);
    location.assign(mainElement.href);
  };
  handlers.main_button_pressed = pressMain;
  if (mainElement) root.dataset.tgMainButton = '';
  // Back from a page of the history (bfcache): the button works again.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) busy(false);
  });

  // Back Button: on every page but the catalog's first; back through this frame's own pages (the
  // Navigation API's, else the count kept in storage), or up to the page's parent (`data-back`)
  // when there is no page of ours to go back to: never back into Telegram's own history.
  const loaded = performance.getEntriesByType('navigation')[0]?.type;
  let depth = Number(stored(DEPTH)) || 0;
  if (loaded === 'back_forward') depth = Math.max(0, depth - 1);
  else if (loaded !== 'reload') depth += 1;
  store(DEPTH, depth);
  const up = body.dataset.back;
  if (supports('6.1')) postEvent('web_app_setup_back_button', { is_visible: up !== undefined });
  handlers.back_button_pressed = () => {
    if (up === undefined) return;
    const frameHistory = window.navigation;
    if (frameHistory?.currentEntry) {
      if (frameHistory.canGoBack) frameHistory.back();
      else location.assign(up);
    } else if (depth > 1) history.back();
    else location.assign(up);
  };

  // Pay: the order's invoice link (its slug) from this storefront, opened by Telegram; when the
  // invoice closes, the page says what became of it and the order's status follows (order-status.js).
  let openSlug = null;
  const outcome = pay?.querySelector('[data-pay-outcome]');
  const say = (text) => {
    if (!outcome) return;
    outcome.textContent = text ?? '';
    outcome.hidden = !text;
  };
  async function startPayment(attempt = 1) {
    busy(true);
    say('');
    try {
      const response = await fetch(pay.dataset.pay, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'X-CSRF-Token': csrf ?? '',
        },
        body: '{}',
        credentials: 'same-origin',
      });
      const answer = await response.json().catch(() => ({}));
      if (response.status === 409 && answer.error?.code === 'not_ready' && attempt < 5) {
        setTimeout(() => startPayment(attempt + 1), 1_000 * attempt);
        return;
      }
      if (!response.ok || typeof answer.slug !== 'string') {
        busy(false);
        say(answer.error?.message ?? pay.dataset.textUnavailable);
        return;
      }
      if (!supports('6.1')) throw new Error('this Telegram cannot open invoices');
      openSlug = answer.slug;
      postEvent('web_app_open_invoice', { slug: answer.slug });
    } catch {
      busy(false);
      say(pay.dataset.textUnavailable);
    }
  }
  handlers.invoice_closed = ({ slug, status }) => {
    if (slug !== openSlug) return;
    openSlug = null;
    if (status === 'paid' || status === 'pending') {
      say(status === 'paid' ? pay.dataset.textPaid : pay.dataset.textPending);
      document.dispatchEvent(new CustomEvent('shop:poll-now'));
      return;
    }
    busy(false);
    say(status === 'failed' ? pay.dataset.textFailed : pay.dataset.textCancelled);
  };
  // The order's status, as order-status.js sees it change: Pay only while the order awaits payment.
  document.addEventListener('shop:status', (event) => {
    if (!pay || !mainElement) return;
    const status = event.detail?.status;
    mainElement.disabled = status !== 'awaiting_payment';
    if (status !== 'awaiting_payment' && status !== 'pending') {
      mainElement.remove();
      mainElement = null;
      mainBusy = false;
      // What the invoice came to is told by the status now ("Confirming it…" is over).
      say('');
      if (status === 'paid') closeText = pay.dataset.textClose;
    }
    showMain();
  });

  if (inFrame && transport === 'frame') postEvent('iframe_ready', { reload_supported: true });
  showMain();
  postEvent('web_app_ready');
  postEvent('web_app_expand');
  postEvent('web_app_request_theme');
})();
