import type { MenuButton } from 'grammy/types';

const COMMANDS: MenuButton = { type: 'commands' };
const DEFAULT: MenuButton = { type: 'default' };

/**
 * The bot's menu button beside the message field (setChatMenuButton): one for every private chat
 * and one per chat. `{type: 'default'}` means "no choice here", so a chat without its own falls back
 * to the one for all chats, and that to Telegram's own, the command menu.
 */
export class MenuButtons {
  #forAll: MenuButton | undefined;
  readonly #byChat = new Map<number, MenuButton>();

  /** As setChatMenuButton stores it: for one chat, or for all of them without a chat. */
  set(chatId: number | undefined, button: MenuButton): void {
    if (chatId === undefined) this.#forAll = button;
    else this.#byChat.set(chatId, button);
  }

  /** As getChatMenuButton answers: the chat's own choice (or `default`), or the one for all chats. */
  get(chatId: number | undefined): MenuButton {
    if (chatId !== undefined) return this.#byChat.get(chatId) ?? DEFAULT;
    return this.#forAll ?? COMMANDS;
  }

  /** The button the chat's user sees. */
  shownIn(chatId: number): MenuButton {
    for (const button of [this.#byChat.get(chatId), this.#forAll]) {
      if (button && button.type !== 'default') return button;
    }
    return COMMANDS;
  }

  /** Forgets the per-chat buttons with their chats; the one for all chats is the bot's and stays. */
  clearChats(): void {
    this.#byChat.clear();
  }
}
