/* global document, window, ResizeObserver */
// The Mini App panel beside the chat: an emulated Telegram web client for a bot's Web App. The app
// runs in a frame and talks to the client as Telegram's web clients expect (core.telegram.org/api/
// web-events): it posts JSON strings {eventType, eventData} to its parent, and the client posts
// JSON strings back to the frame's origin. Only messages from the frame's own window and origin
// are heard.

import * as api from './api.js';
import { formatAmount, invoiceCard, outcomeText } from './payments.js';

/** @import { Invoice, Launch, PayOutcome, ThemeParams, Themes } from './api.js' */

/**
 * @typedef {{
 *   payLink: (slug: string) => Promise<PayOutcome>,
 *   stars: () => number | undefined,
 *   onAlert: (text: string) => void,
 *   onError: (error: unknown) => void,
 * }} PanelOptions
 * @typedef {{ frame: HTMLIFrameElement, origin: string, heard: boolean, slug?: string }} Opened
 */

/**
 * @template {HTMLElement} T
 * @param {string} testId
 * @returns {T}
 */
const byTestId = (testId) => /** @type {T} */ (document.querySelector(`[data-testid="${testId}"]`));

const COLOR = /^#[0-9a-f]{6}$/i;
/** @param {unknown} value */
const isObject = (value) => typeof value === 'object' && value !== null;

/** @param {PanelOptions} options */
export function createMiniAppPanel({ payLink, stars, onAlert, onError }) {
  const panel = byTestId('mini-app');
  const slot = byTestId('mini-app-body');
  const back = /** @type {HTMLButtonElement} */ (byTestId('mini-app-back'));
  const mainButton = /** @type {HTMLButtonElement} */ (byTestId('mini-app-main-button'));
  const themeToggle = /** @type {HTMLButtonElement} */ (byTestId('mini-app-theme'));
  const invoiceDialog = /** @type {HTMLDialogElement} */ (byTestId('mini-app-invoice'));
  const invoiceBox = byTestId('mini-app-invoice-card');
  const invoicePay = /** @type {HTMLButtonElement} */ (byTestId('mini-app-invoice-pay'));
  const invoiceCancel = /** @type {HTMLButtonElement} */ (byTestId('mini-app-invoice-cancel'));

  /** @type {Opened | undefined} */
  let opened;
  /** @type {'light' | 'dark'} */
  let theme = 'light';
  /** @type {Promise<Themes> | undefined} */
  let themes;
  let mainButtonActive = false;
  let paying = false;

  /**
   * Tells the Mini App something, addressed to its origin only; not before it has spoken (until
   * then the frame may still hold the blank page, whose origin is not the app's).
   * @param {string} eventType
   * @param {unknown} [eventData]
   */
  function post(eventType, eventData) {
    if (!opened?.heard) return;
    opened.frame.contentWindow?.postMessage(JSON.stringify({ eventType, eventData }), opened.origin);
  }

  /** @param {ThemeParams} params */
  function paint(params) {
    panel.dataset.theme = theme;
    for (const [key, value] of Object.entries(params)) {
      if (COLOR.test(value)) panel.style.setProperty(`--tg-${key.replaceAll('_', '-')}`, value);
    }
  }

  const themeParams = async () => {
    themes ??= api.themes();
    return (await themes)[theme];
  };

  async function sendTheme() {
    const params = await themeParams();
    paint(params);
    post('theme_changed', { theme_params: params });
  }

  function sendViewport() {
    if (!opened) return;
    const { height, width } = opened.frame.getBoundingClientRect();
    post('viewport_changed', {
      height: Math.round(height),
      width: Math.round(width),
      is_expanded: true,
      is_state_stable: true,
    });
  }
  const resizes = new ResizeObserver(() => sendViewport());

  /** @param {unknown} data web_app_setup_main_button's {is_visible, is_active, is_progress_visible, text, color, text_color} */
  function setupMainButton(data) {
    const params = isObject(data) ? /** @type {Record<string, unknown>} */ (data) : {};
    const text = typeof params.text === 'string' ? params.text.trim() : '';
    mainButton.hidden = params.is_visible !== true || text === '';
    mainButtonActive = params.is_active !== false;
    mainButton.disabled = !mainButtonActive;
    mainButton.classList.toggle('progress', params.is_progress_visible === true);
    mainButton.setAttribute('aria-busy', String(params.is_progress_visible === true));
    mainButton.textContent = text;
    const color = typeof params.color === 'string' && COLOR.test(params.color) ? params.color : '';
    const textColor =
      typeof params.text_color === 'string' && COLOR.test(params.text_color) ? params.text_color : '';
    mainButton.style.backgroundColor = color;
    mainButton.style.color = textColor;
  }

  function resetButtons() {
    setupMainButton({});
    back.hidden = true;
  }

  /** @param {string} slug */
  async function openInvoice(slug) {
    if (!opened || opened.slug !== undefined) return;
    opened.slug = slug;
    /** @type {Invoice} */
    let invoice;
    try {
      invoice = await api.invoiceLink(slug);
    } catch (error) {
      finishInvoice('failed');
      onError(error);
      return;
    }
    invoiceBox.replaceChildren(invoiceCard(invoice));
    invoicePay.textContent = `Pay ${formatAmount(invoice.totalAmount, invoice.currency)}`;
    invoicePay.onclick = () => void payInvoice(slug, invoice);
    invoiceDialog.showModal();
  }

  /**
   * Tells the Mini App how its invoice ended and closes the invoice.
   * @param {'paid' | 'cancelled' | 'failed'} status
   */
  function finishInvoice(status) {
    const slug = opened?.slug;
    if (slug === undefined || !opened) return;
    opened.slug = undefined;
    if (invoiceDialog.open) invoiceDialog.close();
    post('invoice_closed', { slug, status });
  }

  /**
   * @param {string} slug
   * @param {Invoice} invoice
   */
  async function payInvoice(slug, invoice) {
    paying = true;
    invoicePay.disabled = invoiceCancel.disabled = true;
    invoicePay.classList.add('pending');
    try {
      const outcome = await payLink(slug);
      finishInvoice(outcome.status === 'paid' ? 'paid' : 'failed');
      const text = outcomeText(outcome, invoice, stars());
      if (text !== undefined) onAlert(text);
    } catch (error) {
      finishInvoice('failed');
      onError(error);
    } finally {
      paying = false;
      invoicePay.disabled = invoiceCancel.disabled = false;
      invoicePay.classList.remove('pending');
    }
  }

  /**
   * One method the Mini App called.
   * @param {string} eventType
   * @param {unknown} eventData
   */
  function handle(eventType, eventData) {
    const data = isObject(eventData) ? /** @type {Record<string, unknown>} */ (eventData) : {};
    switch (eventType) {
      case 'iframe_ready':
      case 'web_app_request_theme':
        return void sendTheme().catch(onError);
      case 'web_app_ready':
        panel.dataset.ready = 'true';
        return;
      case 'web_app_expand':
      case 'web_app_request_viewport':
        return sendViewport();
      case 'web_app_setup_main_button':
        return setupMainButton(eventData);
      case 'web_app_setup_back_button':
        back.hidden = data.is_visible !== true;
        return;
      case 'web_app_open_invoice':
        if (typeof data.slug === 'string' && data.slug !== '') void openInvoice(data.slug);
        return;
      case 'web_app_close':
        return close();
      default:
      // Methods this client does not offer are ignored, as an older Telegram client ignores them.
    }
  }

  window.addEventListener('message', (event) => {
    if (!opened || event.source !== opened.frame.contentWindow || event.origin !== opened.origin) return;
    if (typeof event.data !== 'string') return;
    /** @type {unknown} */
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!isObject(message)) return;
    const { eventType, eventData } = /** @type {{ eventType?: unknown, eventData?: unknown }} */ (message);
    if (typeof eventType !== 'string') return;
    opened.heard = true;
    handle(eventType, eventData);
  });

  mainButton.addEventListener('click', () => {
    if (!mainButton.hidden && mainButtonActive) post('main_button_pressed');
  });
  back.addEventListener('click', () => post('back_button_pressed'));
  byTestId('mini-app-close').addEventListener('click', () => close());
  themeToggle.addEventListener('click', () => {
    theme = theme === 'light' ? 'dark' : 'light';
    themeToggle.setAttribute('aria-pressed', String(theme === 'dark'));
    sendTheme().catch(onError);
  });
  invoiceCancel.addEventListener('click', () => finishInvoice('cancelled'));
  invoiceDialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    if (!paying) finishInvoice('cancelled');
  });

  /**
   * Opens a Mini App, replacing one that is open.
   * @param {Launch} launch
   * @param {string} title
   */
  function open(launch, title) {
    close();
    const frame = document.createElement('iframe');
    frame.className = 'mini-app-frame';
    frame.dataset.testid = 'mini-app-frame';
    frame.title = title;
    frame.setAttribute(
      'sandbox',
      'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-modals',
    );
    frame.src = launch.launchUrl;
    opened = { frame, origin: new URL(launch.url).origin, heard: false };
    byTestId('mini-app-title').textContent = title;
    delete panel.dataset.ready;
    resetButtons();
    paint(launch.themeParams);
    slot.replaceChildren(frame);
    resizes.observe(frame);
    panel.hidden = false;
    document.body.classList.add('with-mini-app');
  }

  function close() {
    if (!opened) return;
    if (invoiceDialog.open) invoiceDialog.close();
    resizes.disconnect();
    opened = undefined;
    slot.replaceChildren();
    panel.hidden = true;
    document.body.classList.remove('with-mini-app');
  }

  return {
    open,
    close,
    /** The look the next Mini App opens with. */
    theme: () => theme,
  };
}
