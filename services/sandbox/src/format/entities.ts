import type { MessageEntity } from 'grammy/types';

/** Text as the user sees it plus Telegram's entities over it (offsets in UTF-16 code units). */
export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** Why a formatted text was refused; the Bot API prefixes it with "can't parse entities: ". */
export class EntityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntityParseError';
  }
}

/** Telegram reports positions in the source as UTF-8 byte offsets. */
export const byteOffset = (source: string, index: number) => Buffer.byteLength(source.slice(0, index));

/** Telegram's order: by offset, the enclosing (longer) entity first. */
export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

const detectors: ['bot_command' | 'url', RegExp][] = [
  ['bot_command', /(?<=^|\s)\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?=$|[\s.,!?;:)])/g],
  ['url', /(?<=^|[\s(])https?:\/\/[^\s<>"')]+[^\s<>"').,!?;:]/g],
];
// Telegram finds commands and links only in plain stretches, never inside code or a link.
const opaque = new Set<MessageEntity['type']>(['code', 'pre', 'text_link', 'url', 'bot_command']);

/** Adds the entities Telegram detects by itself (bot commands, URLs) where nothing else claims the text. */
export function withDetectedEntities({ text, entities }: FormattedText): FormattedText {
  const found: MessageEntity[] = [];
  const claimed = () => [...entities, ...found].filter((entity) => opaque.has(entity.type));
  for (const [type, pattern] of detectors) {
    for (const match of text.matchAll(pattern)) {
      const offset = match.index;
      const length = match[0].length;
      const overlaps = claimed().some((e) => offset < e.offset + e.length && e.offset < offset + length);
      if (!overlaps) found.push({ type, offset, length });
    }
  }
  return { text, entities: sortEntities([...entities, ...found]) };
}
