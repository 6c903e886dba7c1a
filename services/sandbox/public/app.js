/* global document, localStorage, setTimeout, clearTimeout */
import * as api from './api.js';
import { createMiniAppPanel } from './mini-app.js';
import { formatAmount, outcomeText } from './payments.js';
import { renderMessage } from './render.js';
import { createUsersPanel } from './users.js';

/** @import { MessageView, ReplyButton, ReplyMarkup } from './api.js' */

/**
 * @template {HTMLElement} T
 * @param {string} testId
 * @returns {T}
 */
const byTestId = (testId) => /** @type {T} */ (document.querySelector(`[data-testid="${testId}"]`));

const messages = byTestId('messages');
const input = /** @type {HTMLTextAreaElement} */ (byTestId('message-input'));
const form = /** @type {HTMLFormElement} */ (byTestId('composer'));
const status = byTestId('status');
const toastBox = byTestId('toast');
const alertDialog = /** @type {HTMLDialogElement} */ (byTestId('alert'));
const replyKeyboard = byTestId('reply-keyboard');
const commandsBox = byTestId('commands');
const starsBox = byTestId('stars-balance');
const menuButton = /** @type {HTMLButtonElement} */ (byTestId('menu-button'));
const STORAGE_KEY = 'sandbox.userId';

/** @type {number | undefined} */
let chatId;
/** Buttons waiting for the bot's answerCallbackQuery, by callback query id. */
/** @type {Map<string, HTMLButtonElement>} */
const pressed = new Map();
/** Queries the bot answered before the page heard back from its own press (a fast bot wins that race). */
const answeredEarly = new Set();
/** @type {ReturnType<typeof setTimeout> | undefined} */
let typingTimer;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;
/** The chat user's Telegram Stars, once known. */
/** @type {number | undefined} */
let stars;

/** @param {string} text */
function toast(text) {
  toastBox.textContent = text;
  toastBox.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toastBox.hidden = true), 2500);
}

/** @param {unknown} error */
const showError = (error) => toast(error instanceof Error ? error.message : String(error));

/** @param {string} text shown in a popup until the user presses OK, as Telegram's alerts are */
function openAlert(text) {
  byTestId('alert-text').textContent = text;
  alertDialog.showModal();
}

/** @param {number | undefined} balance */
function showStars(balance) {
  stars = balance;
  starsBox.hidden = balance === undefined;
  starsBox.textContent = balance === undefined ? '' : formatAmount(balance, 'XTR');
}

async function loadStars() {
  showStars(undefined);
  if (chatId === undefined) return;
  const shown = chatId;
  const balance = await api.starsBalance(shown);
  if (chatId === shown) showStars(balance);
}

const actions = {
  /** @param {string} command */
  onCommand: (command) => void send(command),
  /**
   * @param {number} messageId
   * @param {string} data
   * @param {HTMLButtonElement} button
   */
  onPress: (messageId, data, button) => void pressButton(messageId, data, button),
  /**
   * @param {MessageView} view
   * @param {HTMLButtonElement} button
   */
  onPay: (view, button) => void pay(view, button),
  /**
   * @param {number} messageId
   * @param {string} url
   */
  onWebApp: (messageId, url) => void openWebApp(url, messageId),
};

const miniApp = createMiniAppPanel({
  payLink: (slug) => {
    if (chatId === undefined) return Promise.reject(new Error('Choose a user first'));
    return api.payInvoiceLink(chatId, slug);
  },
  stars: () => stars,
  onAlert: (text) => openAlert(text),
  onError: (error) => showError(error),
});

/**
 * Opens a Mini App in the panel beside the chat, as the chat's user: from the menu button (no
 * messageId) or a web_app button of a bot message. The sandbox signs its initData.
 * @param {string} url
 * @param {number} [messageId]
 */
async function openWebApp(url, messageId) {
  if (chatId === undefined) return;
  try {
    miniApp.open(await api.openWebApp(chatId, url, messageId, miniApp.theme()), 'Shop');
  } catch (error) {
    showError(error);
  }
}

/** The bot's menu button for this chat: a Mini App's button beside the field, or none (commands). */
async function loadMenuButton() {
  menuButton.hidden = true;
  if (chatId === undefined) return;
  const shown = chatId;
  const button = await api.menuButton(shown);
  if (chatId !== shown || button.type !== 'web_app') return;
  menuButton.textContent = button.text;
  menuButton.dataset.webAppUrl = button.web_app.url;
  menuButton.hidden = false;
}
menuButton.addEventListener('click', () => {
  const url = menuButton.dataset.webAppUrl;
  if (url) void openWebApp(url);
});

/** @type {Record<string, string>} */
const actionLabels = {
  typing: 'typing…',
  upload_photo: 'sending a photo…',
  upload_document: 'sending a file…',
};

/** @param {string | false} action a chat action, or false when it is over */
function setTyping(action) {
  clearTimeout(typingTimer);
  status.textContent = action ? (actionLabels[action] ?? `${action.replaceAll('_', ' ')}…`) : 'bot';
  status.classList.toggle('typing', action !== false);
  // Telegram shows a chat action for 5 s, or until the bot's next message.
  if (action) typingTimer = setTimeout(() => setTyping(false), 5000);
}

const nearBottom = () => messages.scrollHeight - messages.scrollTop - messages.clientHeight < 80;

/**
 * Messages of this chat deleted so far: a bot may delete the user's message (a password) before the
 * answer to our own send arrives, and that late answer must not bring the bubble back.
 * @type {Set<number>}
 */
const deletedIds = new Set();

/** @param {MessageView} view */
function upsert(view) {
  if (deletedIds.has(view.messageId)) return;
  const stick = nearBottom();
  const element = renderMessage(view, actions);
  const existing = messages.querySelector(`[data-message-id="${view.messageId}"]`);
  if (existing) existing.replaceWith(element);
  else {
    const later = [...messages.children].find(
      (item) => Number(/** @type {HTMLElement} */ (item).dataset.messageId) > view.messageId,
    );
    messages.insertBefore(element, later ?? null);
  }
  if (stick || view.from === 'user') messages.scrollTop = messages.scrollHeight;
}

/** Kinds of reply-keyboard button that ask Telegram for something the sandbox does not have. */
const UNSUPPORTED_REQUESTS = [
  'request_location',
  'request_poll',
  'request_users',
  'request_chat',
  'request_managed_bot',
  'web_app',
];

/**
 * What pressing a reply-keyboard button sends: the user's own contact for a request_contact
 * button (as Telegram does), its text for a plain one; undefined for one the sandbox cannot act on.
 * @param {ReplyButton} key
 * @returns {(() => Promise<void>) | undefined}
 */
function replyAction(key) {
  if (key.request_contact === true) return shareContact;
  if (UNSUPPORTED_REQUESTS.some((kind) => kind in key)) return undefined;
  return () => send(key.text);
}

/** @param {ReplyMarkup | undefined} markup */
function showReplyKeyboard(markup) {
  if (markup?.remove_keyboard) replyKeyboard.hidden = true;
  if (!markup?.keyboard) return;
  replyKeyboard.replaceChildren(
    ...markup.keyboard.map((row) => {
      const line = document.createElement('div');
      line.className = 'reply-row';
      for (const key of row) {
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.testid = 'reply-button';
        button.textContent = key.text;
        const action = replyAction(key);
        if (action === undefined) {
          button.disabled = true;
          button.title = 'This kind of button does nothing in the sandbox';
        } else
          button.addEventListener('click', () => {
            if (markup.one_time_keyboard) replyKeyboard.hidden = true;
            void action();
          });
        line.append(button);
      }
      return line;
    }),
  );
  replyKeyboard.hidden = false;
  input.placeholder = markup.input_field_placeholder ?? 'Message';
}

async function loadHistory() {
  messages.replaceChildren();
  deletedIds.clear();
  replyKeyboard.hidden = true;
  commandsBox.hidden = true;
  setTyping(false);
  if (chatId === undefined) return;
  const shown = chatId;
  const views = await api.history(shown);
  if (chatId !== shown) return;
  for (const view of views) {
    upsert(view);
    if (view.from === 'bot') showReplyKeyboard(view.replyMarkup);
  }
  messages.scrollTop = messages.scrollHeight;
}

/** @param {string} text */
async function send(text) {
  if (chatId === undefined || text.trim() === '') return;
  try {
    upsert(await api.sendText(chatId, text));
  } catch (error) {
    showError(error);
  }
}

/** Shares the user's own phone number with the bot, as Telegram's request_contact button does. */
async function shareContact() {
  if (chatId === undefined) return;
  try {
    upsert(await api.shareContact(chatId));
  } catch (error) {
    showError(error);
  }
}

/**
 * @param {number} messageId
 * @param {string} data
 * @param {HTMLButtonElement} button
 */
async function pressButton(messageId, data, button) {
  if (chatId === undefined) return;
  button.classList.add('pending');
  try {
    const id = await api.press(chatId, messageId, data);
    if (answeredEarly.delete(id)) {
      button.classList.remove('pending');
      return;
    }
    pressed.set(id, button);
    // Telegram stops waiting for the bot's answer after a while.
    setTimeout(() => {
      if (pressed.delete(id)) button.classList.remove('pending');
    }, 15_000);
  } catch (error) {
    button.classList.remove('pending');
    showError(error);
  }
}

/**
 * Pay on an invoice: the sandbox asks the bot and charges on its yes. The paid invoice and the
 * payment's service message arrive as events; a refusal or a failure is told in a popup.
 * @param {MessageView} view
 * @param {HTMLButtonElement} button
 */
async function pay(view, button) {
  if (chatId === undefined || !view.invoice) return;
  button.classList.add('pending');
  button.disabled = true;
  try {
    const text = outcomeText(await api.payInvoice(chatId, view.messageId), view.invoice, stars);
    if (text !== undefined) openAlert(text);
  } catch (error) {
    showError(error);
  } finally {
    button.classList.remove('pending');
    button.disabled = false;
  }
}

const users = createUsersPanel({
  onSelect: (user) => {
    chatId = user?.id;
    if (user) localStorage.setItem(STORAGE_KEY, String(user.id));
    input.disabled = user === undefined;
    byTestId('send').toggleAttribute('disabled', user === undefined);
    byTestId('empty').hidden = user !== undefined;
    miniApp.close();
    loadHistory().catch(showError);
    loadStars().catch(showError);
    loadMenuButton().catch(showError);
  },
  onError: showError,
  storedUserId: () => Number(localStorage.getItem(STORAGE_KEY)) || undefined,
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value;
  input.value = '';
  input.style.height = '';
  void send(text);
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
input.addEventListener('input', () => {
  input.style.height = '';
  input.style.height = `${input.scrollHeight}px`;
});
byTestId('commands-button').addEventListener('click', () => {
  if (chatId === undefined) return;
  if (!commandsBox.hidden) return void (commandsBox.hidden = true);
  api
    .commands(chatId)
    .then((list) => {
      commandsBox.replaceChildren(
        ...list.map(({ command, description }) => {
          const item = document.createElement('button');
          item.type = 'button';
          item.dataset.testid = 'command-item';
          const name = document.createElement('strong');
          name.textContent = `/${command}`;
          item.append(name, ` ${description}`);
          item.addEventListener('click', () => {
            commandsBox.hidden = true;
            void send(`/${command}`);
          });
          return item;
        }),
      );
      if (list.length === 0) commandsBox.textContent = 'The bot has set no commands.';
      commandsBox.hidden = false;
    })
    .catch(showError);
});
alertDialog.querySelector('button')?.addEventListener('click', () => alertDialog.close());

api.subscribe({
  // After a reconnect the page may have missed events: load the chat again.
  ready: () => {
    users
      .reload()
      .then((changed) => (changed ? undefined : Promise.all([loadHistory(), loadMenuButton()])))
      .catch(showError);
  },
  message: ({ chatId: id, message }) => {
    if (id !== chatId) return;
    upsert(message);
    if (message.from === 'bot') {
      setTyping(false);
      showReplyKeyboard(message.replyMarkup);
    }
  },
  edited: ({ chatId: id, message }) => {
    if (id === chatId) upsert(message);
  },
  deleted: ({ chatId: id, messageId }) => {
    if (id !== chatId) return;
    deletedIds.add(messageId);
    messages.querySelector(`[data-message-id="${messageId}"]`)?.remove();
  },
  callback_answered: ({ chatId: id, callbackQueryId, text, showAlert }) => {
    if (id !== chatId) return;
    const button = pressed.get(callbackQueryId);
    if (button) {
      pressed.delete(callbackQueryId);
      button.classList.remove('pending');
    } else answeredEarly.add(callbackQueryId);
    if (!text) return;
    if (showAlert) openAlert(text);
    else toast(text);
  },
  chat_action: ({ chatId: id, action }) => {
    if (id === chatId) setTyping(action);
  },
  stars: ({ chatId: id, balance }) => {
    if (id === chatId) showStars(balance);
  },
  menu_button: ({ chatId: id }) => {
    if (id === null || id === chatId) loadMenuButton().catch(showError);
  },
  user: () => void users.reload(),
  reset: () => void users.reload(),
});
