/**
 * A user's side of the local Telegram sandbox, through its control API: create users, type, press
 * inline buttons, and read the chat as the web chat shows it.
 */
import { eventually } from '@shop/testkit';
import type { PreCheckoutRecord } from '../../services/sandbox/src/world/pre-checkout.ts';
import type { Charge } from '../../services/sandbox/src/world/stars.ts';

export interface SandboxUser {
  id: number;
  firstName: string;
  languageCode: string;
  /** What sharing their own contact sends, digits only as Telegram sends it. */
  phoneNumber: string;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  /** A Mini App's button: opened with `openWebApp`. */
  web_app?: { url: string };
}

/** A chat's menu button, as the user's client shows it. */
export type MenuButton =
  { type: 'commands' | 'default' } | { type: 'web_app'; text: string; web_app: { url: string } };

/** A Mini App as the client opens it: the URL to load, with Telegram's launch parameters in its hash. */
export interface WebAppLaunch {
  url: string;
  launchUrl: string;
  /** Telegram.WebApp.initData, signed with the bot's token. */
  initData: string;
  queryId: string;
  version: string;
  platform: string;
  themeParams: Record<string, string>;
}

/** An invoice message's invoice (sendInvoice), as the user sees it. */
export interface ChatInvoice {
  title: string;
  description: string;
  currency: string;
  /** Smallest units of the currency; whole Stars for XTR. */
  totalAmount: number;
  startParameter: string;
  prices: { label: string; amount: number }[];
  /** photo_url, served by the sandbox at `url` (a path). */
  photo?: { url: string; width?: number; height?: number };
  /** Set once it is paid: the charge's telegram_payment_charge_id. */
  paidChargeId?: string;
}

/** A payment's service message (successful_payment or refunded_payment). */
export interface ChatPayment {
  currency: string;
  totalAmount: number;
  invoicePayload: string;
  telegramPaymentChargeId: string;
  providerPaymentChargeId?: string;
}

export interface ChatMessage {
  messageId: number;
  from: 'user' | 'bot';
  text?: string;
  caption?: string;
  /** A photo, served by the sandbox at `url` (a path). */
  photo?: { fileId: string; url: string };
  /** A contact the user shared. */
  contact?: { phoneNumber: string; firstName: string; userId?: number };
  replyMarkup?: { inline_keyboard?: InlineButton[][] };
  invoice?: ChatInvoice;
  /** The user paid (a service message from the user, which the bot got as a message update). */
  successfulPayment?: ChatPayment;
  /** The bot gave Stars back with refundStarPayment. */
  refundedPayment?: ChatPayment;
  date: number;
  editDate?: number;
}

/** A charge Telegram made, Stars or card: the sandbox's own record of it. */
export type SandboxCharge = Charge;

/** How the failure of a card charge is asked for (after the bot said yes to the pre-checkout). */
export type CardFailure = 'card_declined' | 'insufficient_funds' | 'processing_error';

/** What paying an invoice came to. Nothing was charged unless `status` is `paid`. */
export interface PayOutcome {
  status: 'paid' | 'refused' | 'failed';
  /** Why it failed: the bot did not answer in time, too few Stars, or the card failure asked for. */
  reason?: 'timeout' | 'insufficient_stars' | CardFailure;
  /** The bot's error_message, when it refused the pre-checkout. */
  errorMessage?: string;
  /** The pre_checkout_query the bot got (none when too few Stars stopped it before). */
  preCheckoutQueryId?: string;
  charge?: SandboxCharge;
  /** The successful_payment service message in the chat. */
  message?: ChatMessage;
  /** The update that carried successful_payment to the bot: redeliver it to deliver it twice. */
  updateId?: number;
}

export type PreCheckoutQueryRecord = PreCheckoutRecord;

/** An update the sandbox made for the bot, and whether it still waits to be confirmed. */
export interface UpdateRecord {
  update: { update_id: number } & Record<string, unknown>;
  pending: boolean;
}

// Paying waits for the bot's pre-checkout answer, up to Telegram's 10 s.
const PAY_TIMEOUT_MS = 30_000;

export interface BotApiCall {
  seq: number;
  at: number;
  method: string;
  params: Record<string, unknown>;
  ok: boolean;
}

export interface CallbackRecord {
  id: string;
  data: string;
  answered: boolean;
  /** What the bot answered the press with: the toast (or alert) the user sees. */
  text?: string;
  showAlert: boolean;
}

export class SandboxClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  /** A new user and their private chat with the bot; `id` gives them a Telegram id known beforehand. */
  async createUser(firstName: string, languageCode = 'en', id?: number): Promise<SandboxUser> {
    return this.call<SandboxUser>('POST', '/sandbox/api/users', { firstName, languageCode, id });
  }

  async users(): Promise<SandboxUser[]> {
    return (await this.call<{ users: SandboxUser[] }>('GET', '/sandbox/api/users')).users;
  }

  async messages(chatId: number): Promise<ChatMessage[]> {
    return (await this.call<{ messages: ChatMessage[] }>('GET', `/sandbox/api/chats/${chatId}/messages`))
      .messages;
  }

  async calls(query: { method?: string; chatId?: number } = {}): Promise<BotApiCall[]> {
    const search = new URLSearchParams();
    if (query.method) search.set('method', query.method);
    if (query.chatId !== undefined) search.set('chatId', String(query.chatId));
    return (await this.call<{ calls: BotApiCall[] }>('GET', `/sandbox/api/calls?${search.toString()}`)).calls;
  }

  async callbacks(chatId: number): Promise<CallbackRecord[]> {
    return (
      await this.call<{ callbacks: CallbackRecord[] }>('GET', `/sandbox/api/callbacks?chatId=${chatId}`)
    ).callbacks;
  }

  /** The user sends text; returns their message as the chat shows it. */
  async send(chatId: number, text: string): Promise<ChatMessage> {
    return (
      await this.call<{ message: ChatMessage }>('POST', `/sandbox/api/chats/${chatId}/messages`, { text })
    ).message;
  }

  /** Presses an inline button; returns the callback query's id. */
  async press(chatId: number, messageId: number, data: string): Promise<string> {
    return (
      await this.call<{ callbackQueryId: string }>('POST', `/sandbox/api/chats/${chatId}/callbacks`, {
        messageId,
        data,
      })
    ).callbackQueryId;
  }

  /** The user sends a photo (JPEG, PNG, GIF or WebP bytes), with a caption if given. */
  async sendPhoto(chatId: number, bytes: Uint8Array, caption?: string): Promise<void> {
    const query = caption === undefined ? '' : `?${new URLSearchParams({ caption }).toString()}`;
    await this.call('POST', `/sandbox/api/chats/${chatId}/photos${query}`, bytes);
  }

  /** The user shares their own phone number (Telegram's request_contact button). */
  async shareContact(chatId: number): Promise<void> {
    await this.call('POST', `/sandbox/api/chats/${chatId}/contact`, {});
  }

  /**
   * The user presses Pay on an invoice message: the bot gets a pre_checkout_query; on its yes the
   * money is taken and the bot gets successful_payment. Throws on 404 (no such invoice, or it was
   * deleted) and 409 (already paid, or being paid).
   */
  async payInvoice(
    chatId: number,
    messageId: number,
    options: { fail?: CardFailure } = {},
  ): Promise<PayOutcome> {
    const path = `/sandbox/api/chats/${chatId}/invoices/${messageId}/pay`;
    return this.call<PayOutcome>('POST', path, options, PAY_TIMEOUT_MS);
  }

  /** The user pays an invoice link (createInvoiceLink's `https://t.me/$…`), as often as asked. */
  async payInvoiceLink(
    chatId: number,
    link: string,
    options: { fail?: CardFailure } = {},
  ): Promise<PayOutcome> {
    const slug = encodeURIComponent(link.replace(/^https:\/\/t\.me\/\$/, ''));
    const path = `/sandbox/api/chats/${chatId}/invoice-links/${slug}/pay`;
    return this.call<PayOutcome>('POST', path, options, PAY_TIMEOUT_MS);
  }

  /**
   * Telegram reports a payment whose pre-checkout passed earlier (one that arrives late): charged
   * at once (Stars from the balance), and the bot gets successful_payment without a pre-checkout.
   */
  async reportPayment(
    chatId: number,
    payment: { currency: string; totalAmount: number; invoicePayload: string },
  ): Promise<PayOutcome> {
    return this.call<PayOutcome>('POST', `/sandbox/api/chats/${chatId}/successful-payments`, payment);
  }

  /** The menu button this user's client shows (the bot's `web_app` one, or the command menu). */
  async menuButton(chatId: number): Promise<MenuButton> {
    return this.call<MenuButton>('GET', `/sandbox/api/chats/${chatId}/menu-button`);
  }

  /**
   * The user opens a Mini App: the menu button's (no `messageId`) or an inline `web_app` button of
   * the bot's message `messageId`. Throws on 404 (no button of this chat offers `url`).
   */
  async openWebApp(
    chatId: number,
    url: string,
    options: { messageId?: number; theme?: 'light' | 'dark' } = {},
  ): Promise<WebAppLaunch> {
    return this.call<WebAppLaunch>('POST', `/sandbox/api/chats/${chatId}/web-apps`, { url, ...options });
  }

  /** The user's Telegram Stars (10 000 until set). */
  async starsBalance(userId: number): Promise<number> {
    return (await this.call<{ balance: number }>('GET', `/sandbox/api/users/${userId}/stars`)).balance;
  }

  async setStarsBalance(userId: number, balance: number): Promise<void> {
    await this.call('PUT', `/sandbox/api/users/${userId}/stars`, { balance });
  }

  /** Every charge Telegram made, oldest first, with `refundedAt` once refunded. */
  async charges(userId?: number): Promise<SandboxCharge[]> {
    const query = userId === undefined ? '' : `?userId=${userId}`;
    return (await this.call<{ charges: SandboxCharge[] }>('GET', `/sandbox/api/charges${query}`)).charges;
  }

  /** Every pre_checkout_query sent to the bot, and how and when it was answered. */
  async preCheckoutQueries(chatId?: number): Promise<PreCheckoutQueryRecord[]> {
    const query = chatId === undefined ? '' : `?chatId=${chatId}`;
    const path = `/sandbox/api/pre-checkout-queries${query}`;
    return (await this.call<{ queries: PreCheckoutQueryRecord[] }>('GET', path)).queries;
  }

  /** The updates made for the bot (the last 10 000), oldest first. */
  async updates(): Promise<UpdateRecord[]> {
    return (await this.call<{ updates: UpdateRecord[] }>('GET', '/sandbox/api/updates')).updates;
  }

  /**
   * Telegram delivers an update again with the same update_id, as when it was not confirmed: to
   * the webhook again, or to the next getUpdates whatever its offset.
   */
  async redeliver(updateId: number): Promise<void> {
    await this.call('POST', `/sandbox/api/updates/${updateId}/redeliver`);
  }

  private async call<T>(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<T> {
    const file = body instanceof Uint8Array;
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers:
        body === undefined ? {} : { 'content-type': file ? 'application/octet-stream' : 'application/json' },
      body: body === undefined ? undefined : file ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}

/** What a message says: its text, or a photo's caption. */
export const textOf = (message: ChatMessage) => message.text || message.caption || '';
const buttonsOf = (message: ChatMessage) => message.replyMarkup?.inline_keyboard?.flat() ?? [];
/** The labels of a message's inline buttons, row after row. */
export const labelsOf = (message: ChatMessage) => buttonsOf(message).map((b) => b.text);

/** One user's chat with the bot, driven the way a person would: type, wait, read, tap. */
export class SandboxChat {
  readonly sandbox: SandboxClient;
  readonly user: SandboxUser;

  constructor(sandbox: SandboxClient, user: SandboxUser) {
    this.sandbox = sandbox;
    this.user = user;
  }

  static async create(
    sandbox: SandboxClient,
    firstName: string,
    languageCode = 'en',
    id?: number,
  ): Promise<SandboxChat> {
    return new SandboxChat(sandbox, await sandbox.createUser(firstName, languageCode, id));
  }

  send(text: string): Promise<ChatMessage> {
    return this.sandbox.send(this.user.id, text);
  }

  sendPhoto(bytes: Uint8Array, caption?: string): Promise<void> {
    return this.sandbox.sendPhoto(this.user.id, bytes, caption);
  }

  messages(): Promise<ChatMessage[]> {
    return this.sandbox.messages(this.user.id);
  }

  /**
   * Waits until a bot message (as it reads now, edits included) matches, and returns it; with
   * `after`, only a message sent after that one (a reply to it, not an earlier look-alike).
   */
  async waitFor(pattern: RegExp, timeoutMs = 20_000, after?: ChatMessage): Promise<ChatMessage> {
    const since = after?.messageId ?? 0;
    return eventually(
      async () => {
        const messages = await this.messages();
        const found = messages.findLast(
          (m) => m.from === 'bot' && m.messageId > since && pattern.test(textOf(m)),
        );
        if (found) return found;
        const last = messages.slice(-3).map((m) => `${m.from}: ${textOf(m)}`);
        throw new Error(`no bot message matching ${pattern}; last messages:\n${last.join('\n')}`);
      },
      timeoutMs,
      100,
    );
  }

  /**
   * Waits until the newest bot message matches (a screen the last step brought up, not an older
   * one still in the chat), and returns it: the next press then reaches that screen's buttons.
   */
  async newest(pattern: RegExp, timeoutMs = 20_000): Promise<ChatMessage> {
    return eventually(
      async () => {
        const last = (await this.messages()).findLast((m) => m.from === 'bot');
        if (last && pattern.test(textOf(last))) return last;
        throw new Error(`the newest bot message does not match ${pattern}: ${last ? textOf(last) : 'none'}`);
      },
      timeoutMs,
      100,
    );
  }

  /** Presses the inline button labelled `label` on the newest bot message that has one. */
  async press(label: string | RegExp, timeoutMs = 20_000): Promise<ChatMessage> {
    return (await this.#press(label, timeoutMs)).message;
  }

  /**
   * Presses the inline button labelled `label` and waits until the bot answers the press; returns
   * the answer's text, the toast (or alert) the user sees, if it has one.
   */
  async pressForAnswer(label: string | RegExp, timeoutMs = 20_000): Promise<string | undefined> {
    const { callbackQueryId } = await this.#press(label, timeoutMs);
    const answered = await eventually(
      async () => {
        const record = (await this.sandbox.callbacks(this.user.id)).find((c) => c.id === callbackQueryId);
        if (!record?.answered) throw new Error(`the bot has not answered the press of ${String(label)} yet`);
        return record;
      },
      timeoutMs,
      100,
    );
    return answered.text;
  }

  async #press(label: string | RegExp, timeoutMs: number) {
    const matches = (text: string) => (typeof label === 'string' ? text === label : label.test(text));
    const { message, data } = await eventually(
      async () => {
        const messages = await this.messages();
        const message = messages.findLast(
          (m) => m.from === 'bot' && buttonsOf(m).some((b) => matches(b.text)),
        );
        const data = message && buttonsOf(message).find((b) => matches(b.text))?.callback_data;
        if (message && data !== undefined) return { message, data };
        const shown = messages.flatMap(buttonsOf).map((b) => `[${b.text}]`);
        throw new Error(`no button ${String(label)}; buttons shown: ${shown.join(' ')}`);
      },
      timeoutMs,
      100,
    );
    return { message, callbackQueryId: await this.sandbox.press(this.user.id, message.messageId, data) };
  }

  /**
   * Opens the Mini App of the inline `web_app` button labelled `label` on the newest bot message
   * that has one (waiting for it), as pressing it in Telegram does.
   */
  async openWebApp(label: string | RegExp, timeoutMs = 20_000): Promise<WebAppLaunch> {
    const matches = (text: string) => (typeof label === 'string' ? text === label : label.test(text));
    const { messageId, url } = await eventually(
      async () => {
        const message = (await this.messages()).findLast(
          (m) => m.from === 'bot' && buttonsOf(m).some((b) => b.web_app && matches(b.text)),
        );
        const url = message && buttonsOf(message).find((b) => b.web_app && matches(b.text))?.web_app?.url;
        if (message && url !== undefined) return { messageId: message.messageId, url };
        throw new Error(`no Mini App button ${String(label)}`);
      },
      timeoutMs,
      100,
    );
    return this.sandbox.openWebApp(this.user.id, url, { messageId });
  }

  /** Waits until the bot has sent an invoice not paid yet, and returns the newest such message. */
  async waitForInvoice(timeoutMs = 20_000): Promise<ChatMessage & { invoice: ChatInvoice }> {
    return eventually(
      async () => {
        const found = (await this.messages()).findLast((m) => m.invoice && !m.invoice.paidChargeId);
        if (found?.invoice) return { ...found, invoice: found.invoice };
        throw new Error('no unpaid invoice in the chat');
      },
      timeoutMs,
      100,
    );
  }

  /** Presses Pay on the newest unpaid invoice (waiting for it); returns what the payment came to. */
  async pay(options: { fail?: CardFailure; timeoutMs?: number } = {}): Promise<PayOutcome> {
    const invoice = await this.waitForInvoice(options.timeoutMs);
    return this.sandbox.payInvoice(
      this.user.id,
      invoice.messageId,
      options.fail ? { fail: options.fail } : {},
    );
  }

  /** The text of every button on the newest bot message that has buttons. */
  async buttons(): Promise<string[]> {
    const message = (await this.messages()).findLast((m) => m.from === 'bot' && buttonsOf(m).length > 0);
    return message ? labelsOf(message) : [];
  }
}
