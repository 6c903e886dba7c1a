/**
 * A user's side of the local Telegram sandbox, through its control API: create users, type, press
 * inline buttons, and read the chat as the web chat shows it.
 */
import { eventually } from '@shop/testkit';

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
  date: number;
  editDate?: number;
}

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

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const file = body instanceof Uint8Array;
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers:
        body === undefined ? {} : { 'content-type': file ? 'application/octet-stream' : 'application/json' },
      body: body === undefined ? undefined : file ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
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

  /** The text of every button on the newest bot message that has buttons. */
  async buttons(): Promise<string[]> {
    const message = (await this.messages()).findLast((m) => m.from === 'bot' && buttonsOf(m).length > 0);
    return message ? labelsOf(message) : [];
  }
}
