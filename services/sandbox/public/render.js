/* global document */
// Builds message bubbles with DOM nodes only: text always goes in as text, never as markup, so
// nothing the bot sends can inject HTML. Formatting comes from Telegram's entities, which the
// sandbox has already parsed out of parse_mode HTML / MarkdownV2 (refusing what Telegram refuses).

import { invoiceCard, payButton, serviceText } from './payments.js';

/** @import { Contact, Entity, InlineButton, MessageView } from './api.js' */

/**
 * @typedef {{
 *   onCommand: (command: string) => void,
 *   onPress: (messageId: number, data: string, button: HTMLButtonElement) => void,
 *   onPay: (view: MessageView, button: HTMLButtonElement) => void,
 *   onWebApp: (messageId: number, url: string, button: HTMLButtonElement) => void,
 * }} Actions
 */

const SAFE_LINK = /^(https?:|tg:|mailto:)/i;

/**
 * @param {string} url
 * @returns {HTMLElement}
 */
function link(url) {
  if (!SAFE_LINK.test(url)) return document.createElement('span');
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.target = '_blank';
  anchor.rel = 'noopener noreferrer';
  return anchor;
}

/**
 * @param {Entity} entity
 * @param {string} text the entity's own text
 * @param {Actions} actions
 * @returns {HTMLElement}
 */
function elementFor(entity, text, actions) {
  switch (entity.type) {
    case 'bold':
      return document.createElement('strong');
    case 'italic':
      return document.createElement('em');
    case 'underline':
      return document.createElement('u');
    case 'strikethrough':
      return document.createElement('s');
    case 'code':
      return document.createElement('code');
    case 'pre': {
      const pre = document.createElement('pre');
      if (entity.language) pre.dataset.language = entity.language;
      return pre;
    }
    case 'blockquote':
    case 'expandable_blockquote':
      return document.createElement('blockquote');
    case 'text_link':
      return link(entity.url ?? '');
    case 'url':
      return link(/^[a-z]+:/i.test(text) ? text : `https://${text}`);
    case 'bot_command': {
      const command = document.createElement('button');
      command.type = 'button';
      command.className = 'command';
      command.addEventListener('click', () => actions.onCommand(text));
      return command;
    }
    case 'spoiler': {
      const spoiler = document.createElement('span');
      spoiler.className = 'spoiler';
      spoiler.addEventListener('click', () => spoiler.classList.add('revealed'));
      return spoiler;
    }
    default:
      return document.createElement('span');
  }
}

/**
 * Text with its entities as nested elements. Entities come sorted by offset, enclosing first.
 * @param {string} text
 * @param {Entity[]} entities
 * @param {Actions} actions
 * @param {number} [start]
 * @param {number} [end]
 * @returns {DocumentFragment}
 */
export function renderText(text, entities, actions, start = 0, end = text.length) {
  const fragment = document.createDocumentFragment();
  let cursor = start;
  for (let i = 0; i < entities.length;) {
    const entity = /** @type {Entity} */ (entities[i]);
    const entityEnd = entity.offset + entity.length;
    // Telegram's entities nest or stay apart; one that does neither is shown as plain text.
    if (entity.offset < cursor || entityEnd > end) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < entities.length && /** @type {Entity} */ (entities[j]).offset < entityEnd) j++;
    if (entity.offset > cursor) fragment.append(text.slice(cursor, entity.offset));
    const element = elementFor(entity, text.slice(entity.offset, entityEnd), actions);
    element.append(renderText(text, entities.slice(i + 1, j), actions, entity.offset, entityEnd));
    fragment.append(element);
    cursor = entityEnd;
    i = j;
  }
  if (cursor < end) fragment.append(text.slice(cursor, end));
  return fragment;
}

/** @param {number} date unix seconds */
export const formatTime = (date) =>
  new Date(date * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * @param {InlineButton} button
 * @param {number} messageId
 * @param {Actions} actions
 * @returns {HTMLElement}
 */
function inlineButton(button, messageId, actions) {
  if (button.url && SAFE_LINK.test(button.url)) {
    const anchor = /** @type {HTMLAnchorElement} */ (link(button.url));
    anchor.className = 'inline-button';
    anchor.dataset.testid = 'inline-button';
    anchor.textContent = button.text;
    return anchor;
  }
  const element = document.createElement('button');
  element.type = 'button';
  element.className = 'inline-button';
  element.dataset.testid = 'inline-button';
  element.textContent = button.text;
  const data = button.callback_data;
  const webApp = button.web_app?.url;
  if (webApp !== undefined) {
    element.dataset.webAppUrl = webApp;
    element.addEventListener('click', () => actions.onWebApp(messageId, webApp, element));
  } else if (data === undefined) {
    element.disabled = true;
    element.title = 'This kind of button does nothing in the sandbox';
  } else {
    element.dataset.callbackData = data;
    element.addEventListener('click', () => actions.onPress(messageId, data, element));
  }
  return element;
}

/**
 * A shared contact, as Telegram shows it: the name and the number (which Telegram may send
 * without its leading +).
 * @param {Contact} contact
 * @returns {HTMLElement}
 */
function contactCard(contact) {
  const card = document.createElement('div');
  card.className = 'contact';
  card.dataset.testid = 'contact';
  const name = document.createElement('strong');
  name.textContent = `📱 ${contact.firstName}`;
  const phone = document.createElement('span');
  phone.dataset.testid = 'contact-phone';
  phone.textContent = contact.phoneNumber.startsWith('+') ? contact.phoneNumber : `+${contact.phoneNumber}`;
  card.append(name, phone);
  return card;
}

/**
 * One message bubble, with its inline keyboard under it.
 * @param {MessageView} view
 * @param {Actions} actions
 * @returns {HTMLLIElement}
 */
export function renderMessage(view, actions) {
  const item = document.createElement('li');
  item.className = `message from-${view.from}`;
  item.dataset.testid = 'message';
  item.dataset.from = view.from;
  item.dataset.messageId = String(view.messageId);

  const service = serviceText(view);
  if (service !== undefined) {
    item.classList.add('service');
    const text = document.createElement('span');
    text.className = 'service-text';
    text.dataset.testid = 'service-message';
    text.textContent = service;
    item.append(text);
    return item;
  }

  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  if (view.photo) {
    const image = document.createElement('img');
    image.className = 'photo';
    image.dataset.testid = 'photo';
    image.src = view.photo.url;
    image.alt = 'Photo';
    image.loading = 'lazy';
    bubble.append(image);
  }
  if (view.contact) bubble.append(contactCard(view.contact));
  if (view.invoice) bubble.append(invoiceCard(view.invoice));
  const body = view.photo ? (view.caption ?? '') : view.text;
  if (body) {
    const text = document.createElement('div');
    text.className = 'text';
    text.dataset.testid = 'message-text';
    const entities = (view.photo ? view.captionEntities : view.entities) ?? [];
    text.append(renderText(body, entities, actions));
    bubble.append(text);
  }
  const meta = document.createElement('div');
  meta.className = 'meta';
  if (view.editDate) {
    const edited = document.createElement('span');
    edited.className = 'edited';
    edited.textContent = 'edited';
    meta.append(edited);
  }
  const time = document.createElement('time');
  time.dateTime = new Date(view.date * 1000).toISOString();
  time.textContent = formatTime(view.date);
  meta.append(time);
  bubble.append(meta);
  item.append(bubble);

  const rows = view.replyMarkup?.inline_keyboard ?? [];
  const invoice = view.invoice;
  if (rows.length > 0 || invoice) {
    const keyboard = document.createElement('div');
    keyboard.className = 'inline-keyboard';
    // An invoice's first button is its Pay button (the bot's, or Telegram's own when it sent none).
    const [first = [], ...rest] = invoice ? (rows.length > 0 ? rows : [[]]) : [];
    const pay = invoice ? payButton(invoice, first[0], (button) => actions.onPay(view, button)) : undefined;
    const lines = invoice ? [first.slice(1), ...rest] : rows;
    lines.forEach((row, index) => {
      const line = document.createElement('div');
      line.className = 'inline-row';
      if (pay && index === 0) line.append(pay);
      line.append(...row.map((button) => inlineButton(button, view.messageId, actions)));
      if (line.childElementCount > 0) keyboard.append(line);
    });
    item.append(keyboard);
  }
  return item;
}
