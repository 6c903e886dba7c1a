import type { BotCommand } from 'grammy/types';

/** A command scope as the Bot API takes it; only the kinds a private chat can match are resolved. */
export interface CommandScope {
  type: string;
  chat_id?: number | string;
}

const key = (scope: CommandScope, languageCode: string) =>
  `${scope.type}${scope.chat_id === undefined ? '' : `:${String(scope.chat_id)}`}|${languageCode}`;

/** The bot's command menus by scope and language, as setMyCommands stores them. */
export class Commands {
  readonly #sets = new Map<string, BotCommand[]>();

  set(scope: CommandScope, languageCode: string, commands: BotCommand[]): void {
    if (commands.length === 0) this.#sets.delete(key(scope, languageCode));
    else this.#sets.set(key(scope, languageCode), commands);
  }

  get(scope: CommandScope, languageCode: string): BotCommand[] {
    return this.#sets.get(key(scope, languageCode)) ?? [];
  }

  /** The menu a private chat shows: the narrowest scope first, its language before any language. */
  forChat(chatId: number, languageCode: string): BotCommand[] {
    const scopes: CommandScope[] = [
      { type: 'chat', chat_id: chatId },
      { type: 'all_private_chats' },
      { type: 'default' },
    ];
    for (const scope of scopes) {
      for (const language of [languageCode, '']) {
        const found = this.#sets.get(key(scope, language));
        if (found) return found;
      }
    }
    return [];
  }
}
