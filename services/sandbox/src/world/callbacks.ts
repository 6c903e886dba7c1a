import { randomInt } from 'node:crypto';

/** A press of an inline button and how the bot answered it. */
export interface CallbackRecord {
  id: string;
  chatId: number;
  messageId: number;
  data: string;
  answered: boolean;
  text?: string;
  showAlert: boolean;
}

/** Callback queries by id; each may be answered once, as on Telegram. */
export class Callbacks {
  readonly #byId = new Map<string, CallbackRecord>();

  create(chatId: number, messageId: number, data: string): CallbackRecord {
    let id: string;
    // Telegram's ids are long decimal strings; random ones never repeat after a reset.
    do id = `${randomInt(1e9, 1e10)}${randomInt(1e8, 1e9)}`;
    while (this.#byId.has(id));
    const record: CallbackRecord = { id, chatId, messageId, data, answered: false, showAlert: false };
    this.#byId.set(id, record);
    return record;
  }

  get(id: string): CallbackRecord | undefined {
    return this.#byId.get(id);
  }

  list(chatId?: number): CallbackRecord[] {
    const all = [...this.#byId.values()];
    return chatId === undefined ? all : all.filter((record) => record.chatId === chatId);
  }

  clear(): void {
    this.#byId.clear();
  }
}
