import type { MessageEntity } from 'grammy/types';
import { withDetectedEntities, type FormattedText } from './entities.ts';
import { parseHtml } from './html.ts';
import { parseMarkdown, parseMarkdownV2 } from './markdown.ts';

export { EntityParseError, type FormattedText } from './entities.ts';
export { parseHtml } from './html.ts';
export { parseMarkdown, parseMarkdownV2 } from './markdown.ts';

export type ParseMode = 'HTML' | 'MarkdownV2' | 'Markdown';

const modes: Record<string, ParseMode> = { html: 'HTML', markdownv2: 'MarkdownV2', markdown: 'Markdown' };

/** Telegram reads parse_mode case-insensitively; undefined means not a mode it knows. */
export const parseModeOf = (value: string): ParseMode | undefined => modes[value.toLowerCase()];

/**
 * What a message's text becomes in Telegram: markup parsed away into entities (or the
 * caller's own entities), plus the commands and links Telegram detects by itself.
 * Throws EntityParseError on markup Telegram would refuse.
 */
export function formatText(source: string, mode?: ParseMode, entities?: MessageEntity[]): FormattedText {
  const parsed =
    mode === 'HTML'
      ? parseHtml(source)
      : mode === 'MarkdownV2'
        ? parseMarkdownV2(source)
        : mode === 'Markdown'
          ? parseMarkdown(source)
          : { text: source, entities: entities ?? [] };
  return withDetectedEntities(parsed);
}
