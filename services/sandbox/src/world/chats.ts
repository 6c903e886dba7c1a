import { randomInt } from 'node:crypto';
import type { Chat, Contact, Message, User } from 'grammy/types';
import type { EventBus } from './events.ts';
import type { SandboxUser, StoredMessage } from './types.ts';
import { messageView } from './views.ts';

export interface ChatState {
  user: SandboxUser;
  chat: Chat.PrivateChat;
  messages: Map<number, StoredMessage>;
  nextMessageId: number;
  /** The user blocked the bot: the Bot API answers 403 to everything sent to this chat. */
  blocked: boolean;
}

/** What every new message starts from; the caller adds text, photo, markup. */
export interface MessageBase {
  message_id: number;
  date: number;
  chat: Chat.PrivateChat;
}

export const unixNow = () => Math.floor(Date.now() / 1000);

/** A number in the range Telegram keeps for tests (99966XYYYY), from the user's id. */
const testPhoneNumber = (id: number) => `99966${String(id).slice(-5).padStart(5, '0')}`;

/** Users and their private chats with the bot (chat id = user id), with each chat's history. */
export class Chats {
  readonly #chats = new Map<number, ChatState>();
  readonly #events: EventBus;

  constructor(events: EventBus) {
    this.#events = events;
  }

  /**
   * Adds a user; without an id, one like Telegram's (10 digits) that no user has; without a phone
   * number, one from Telegram's test range.
   */
  addUser(
    input: Omit<SandboxUser, 'id' | 'phoneNumber'> & { id?: number; phoneNumber?: string },
  ): SandboxUser {
    let id = input.id;
    // Random, not sequential: the bot keeps sessions by chat id, and a sandbox restart or reset
    // must not hand a new user someone else's sign-in.
    while (id === undefined || (input.id === undefined && this.#chats.has(id))) id = randomInt(1e9, 1e10);
    const user: SandboxUser = {
      id,
      firstName: input.firstName,
      languageCode: input.languageCode,
      ...(input.username ? { username: input.username } : {}),
      phoneNumber: input.phoneNumber ?? testPhoneNumber(id),
    };
    const chat: Chat.PrivateChat = {
      id,
      type: 'private',
      first_name: user.firstName,
      ...(user.username ? { username: user.username } : {}),
    };
    this.#chats.set(id, { user, chat, messages: new Map(), nextMessageId: 1, blocked: false });
    this.#events.publish({ type: 'user', chatId: id, user });
    return user;
  }

  get(chatId: number): ChatState | undefined {
    return this.#chats.get(chatId);
  }

  users(): SandboxUser[] {
    return [...this.#chats.values()].map((state) => state.user);
  }

  clear(): void {
    this.#chats.clear();
  }

  /** Appends a message (ids increase per chat, shared by both sides, as in Telegram) and announces it. */
  append(
    state: ChatState,
    from: StoredMessage['from'],
    build: (base: MessageBase) => Message,
    extras: Omit<StoredMessage, 'message' | 'from'> = {},
  ): StoredMessage {
    const message = build({ message_id: state.nextMessageId++, date: unixNow(), chat: state.chat });
    const stored: StoredMessage = { message, from, ...extras };
    state.messages.set(message.message_id, stored);
    this.#events.publish({ type: 'message', chatId: state.chat.id, message: messageView(stored) });
    return stored;
  }

  /** Replaces a message with its edited version and announces the edit. */
  replace(state: ChatState, stored: StoredMessage): void {
    state.messages.set(stored.message.message_id, stored);
    this.#events.publish({ type: 'edited', chatId: state.chat.id, message: messageView(stored) });
  }

  /** Removes a message; false if the chat has no such message. */
  delete(state: ChatState, messageId: number): boolean {
    if (!state.messages.delete(messageId)) return false;
    this.#events.publish({ type: 'deleted', chatId: state.chat.id, messageId });
    return true;
  }
}

/** The user's own contact, as Telegram sends it when they share their phone number. */
export function ownContact(user: SandboxUser): Contact {
  return { phone_number: user.phoneNumber, first_name: user.firstName, user_id: user.id };
}

/** The user as the Bot API shows them in `from`. */
export function telegramUser(user: SandboxUser): User {
  return {
    id: user.id,
    is_bot: false,
    first_name: user.firstName,
    ...(user.username ? { username: user.username } : {}),
    language_code: user.languageCode,
  };
}
