/* global fetch, EventSource */
// The sandbox's control API, as the web chat uses it. Every answer is JSON from our own origin.

/**
 * @typedef {{ id: number, firstName: string, languageCode: string, username?: string, phoneNumber: string }} User
 * @typedef {{ type: string, offset: number, length: number, url?: string, language?: string }} Entity
 * @typedef {{ text: string, callback_data?: string, url?: string, pay?: boolean, web_app?: { url: string } }} InlineButton
 * @typedef {{ text: string, request_contact?: boolean } & Record<string, unknown>} ReplyButton
 * @typedef {{
 *   inline_keyboard?: InlineButton[][],
 *   keyboard?: ReplyButton[][],
 *   remove_keyboard?: boolean,
 *   one_time_keyboard?: boolean,
 *   input_field_placeholder?: string,
 * }} ReplyMarkup
 * @typedef {{ fileId: string, url: string, width: number, height: number }} Photo
 * @typedef {{ phoneNumber: string, firstName: string, userId?: number }} Contact
 * @typedef {{
 *   title: string,
 *   description: string,
 *   currency: string,
 *   totalAmount: number,
 *   photo?: { url: string, width?: number, height?: number },
 *   paidChargeId?: string,
 * }} Invoice
 * @typedef {{ currency: string, totalAmount: number, invoicePayload: string }} Payment
 * @typedef {{
 *   status: 'paid' | 'refused' | 'failed',
 *   reason?: string,
 *   errorMessage?: string,
 * }} PayOutcome
 * @typedef {{
 *   messageId: number,
 *   from: 'user' | 'bot',
 *   text: string,
 *   entities?: Entity[],
 *   caption?: string,
 *   captionEntities?: Entity[],
 *   photo?: Photo,
 *   contact?: Contact,
 *   replyMarkup?: ReplyMarkup,
 *   parseMode?: string,
 *   invoice?: Invoice,
 *   successfulPayment?: Payment,
 *   refundedPayment?: Payment,
 *   date: number,
 *   editDate?: number,
 * }} MessageView
 * @typedef {{ command: string, description: string }} Command
 * @typedef {{ type: 'commands' | 'default' } | { type: 'web_app', text: string, web_app: { url: string } }} MenuButton
 * @typedef {Record<string, string>} ThemeParams
 * @typedef {{ light: ThemeParams, dark: ThemeParams }} Themes
 * @typedef {{
 *   url: string,
 *   launchUrl: string,
 *   initData: string,
 *   queryId: string,
 *   version: string,
 *   platform: string,
 *   themeParams: ThemeParams,
 * }} Launch
 * @typedef {{
 *   ready: { chatId: number | null },
 *   message: { chatId: number, message: MessageView },
 *   edited: { chatId: number, message: MessageView },
 *   deleted: { chatId: number, messageId: number },
 *   callback_answered: { chatId: number, callbackQueryId: string, messageId: number, text?: string, showAlert: boolean },
 *   chat_action: { chatId: number, action: string },
 *   user: { chatId: number, user: User },
 *   stars: { chatId: number, balance: number },
 *   menu_button: { chatId: number | null },
 *   reset: { chatId: null },
 * }} EventMap
 * @typedef {{ [K in keyof EventMap]: (data: EventMap[K]) => void }} EventHandlers
 */

/**
 * @param {Response} response
 * @returns {Promise<unknown>}
 */
const readJson = (response) => response.json();

/**
 * @param {string} text
 * @returns {unknown}
 */
const parseJson = (text) => JSON.parse(text);

/**
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<unknown>}
 */
async function request(path, init) {
  const response = await fetch(path, init);
  if (!response.ok) {
    const body = /** @type {{ error?: { message?: string } }} */ (await readJson(response).catch(() => ({})));
    throw new Error(body.error?.message ?? `${response.status} ${response.statusText}`);
  }
  return response.status === 204 ? undefined : readJson(response);
}

/**
 * @param {string} path
 * @param {unknown} body
 */
const post = (path, body) =>
  request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

/** @returns {Promise<User[]>} */
export const listUsers = async () =>
  /** @type {{ users: User[] }} */ (await request('/sandbox/api/users')).users;

/**
 * @param {string} firstName
 * @param {string} languageCode
 * @returns {Promise<User>}
 */
export const createUser = async (firstName, languageCode) =>
  /** @type {User} */ (await post('/sandbox/api/users', { firstName, languageCode }));

/**
 * @param {number} chatId
 * @returns {Promise<MessageView[]>}
 */
export const history = async (chatId) =>
  /** @type {{ messages: MessageView[] }} */ (await request(`/sandbox/api/chats/${chatId}/messages`))
    .messages;

/**
 * @param {number} chatId
 * @param {string} text
 * @returns {Promise<MessageView>}
 */
export const sendText = async (chatId, text) =>
  /** @type {{ message: MessageView }} */ (await post(`/sandbox/api/chats/${chatId}/messages`, { text }))
    .message;

/**
 * The user shares their own phone number (a keyboard button with request_contact).
 * @param {number} chatId
 * @returns {Promise<MessageView>}
 */
export const shareContact = async (chatId) =>
  /** @type {{ message: MessageView }} */ (await post(`/sandbox/api/chats/${chatId}/contact`, {})).message;

/**
 * @param {number} chatId
 * @param {number} messageId
 * @param {string} data
 * @returns {Promise<string>} the callback query id
 */
export const press = async (chatId, messageId, data) =>
  /** @type {{ callbackQueryId: string }} */ (
    await post(`/sandbox/api/chats/${chatId}/callbacks`, { messageId, data })
  ).callbackQueryId;

/**
 * @param {number} chatId
 * @returns {Promise<Command[]>}
 */
export const commands = async (chatId) =>
  /** @type {{ commands: Command[] }} */ (await request(`/sandbox/api/chats/${chatId}/commands`)).commands;

/**
 * The user presses Pay: the sandbox asks the bot (pre_checkout_query) and, on its yes, charges.
 * @param {number} chatId
 * @param {number} messageId
 * @returns {Promise<PayOutcome>}
 */
export const payInvoice = async (chatId, messageId) =>
  /** @type {PayOutcome} */ (await post(`/sandbox/api/chats/${chatId}/invoices/${messageId}/pay`, {}));

/**
 * The user pays an invoice link (createInvoiceLink's `https://t.me/$<slug>`), as a Mini App's openInvoice does.
 * @param {number} chatId
 * @param {string} slug
 * @returns {Promise<PayOutcome>}
 */
export const payInvoiceLink = async (chatId, slug) =>
  /** @type {PayOutcome} */ (
    await post(`/sandbox/api/chats/${chatId}/invoice-links/${encodeURIComponent(slug)}/pay`, {})
  );

/**
 * @param {string} slug
 * @returns {Promise<Invoice>} the invoice an invoice link shows
 */
export const invoiceLink = async (slug) =>
  /** @type {Invoice} */ (await request(`/sandbox/api/invoice-links/${encodeURIComponent(slug)}`));

/**
 * @param {number} chatId
 * @returns {Promise<MenuButton>} the menu button this user's client shows
 */
export const menuButton = async (chatId) =>
  /** @type {MenuButton} */ (await request(`/sandbox/api/chats/${chatId}/menu-button`));

/**
 * The user opens a Mini App from the menu button (no messageId) or a web_app button of a bot message.
 * @param {number} chatId
 * @param {string} url
 * @param {number | undefined} messageId
 * @param {keyof Themes} theme
 * @returns {Promise<Launch>}
 */
export const openWebApp = async (chatId, url, messageId, theme) =>
  /** @type {Launch} */ (
    await post(
      `/sandbox/api/chats/${chatId}/web-apps`,
      messageId === undefined ? { url, theme } : { url, messageId, theme },
    )
  );

/** @returns {Promise<Themes>} the light and dark theme parameters a Mini App gets */
export const themes = async () => /** @type {Themes} */ (await request('/sandbox/api/mini-app/themes'));

/**
 * @param {number} userId
 * @returns {Promise<number>} the user's Telegram Stars
 */
export const starsBalance = async (userId) =>
  /** @type {{ balance: number }} */ (await request(`/sandbox/api/users/${userId}/stars`)).balance;

/**
 * Listens to the sandbox's event stream; EventSource reconnects by itself, and `ready` comes
 * again after each reconnect, so the page can catch up on what it missed.
 * @param {EventHandlers} handlers
 */
export function subscribe(handlers) {
  const source = new EventSource('/sandbox/api/events');
  for (const name of /** @type {(keyof EventMap)[]} */ (Object.keys(handlers))) {
    source.addEventListener(name, (/** @type {MessageEvent<unknown>} */ event) => {
      handlers[name](/** @type {never} */ (parseJson(String(event.data))));
    });
  }
  return source;
}
