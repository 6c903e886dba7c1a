import type { MessageEntity } from 'grammy/types';
import { byteOffset, EntityParseError, sortEntities, type FormattedText } from './entities.ts';

// Follows tdlib's parse_markdown_v2 / parse_markdown, so the sandbox refuses what Telegram refuses.
type Kind = 'bold' | 'italic' | 'underline' | 'strikethrough' | 'spoiler' | 'code' | 'pre' | 'text_link';
const names: Record<Kind, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  code: 'Code',
  pre: 'Pre',
  text_link: 'TextUrl',
};
const RESERVED = '_*[]()~`>#+-=|{}.!';
const markerWidths: Partial<Record<Kind, number>> = { underline: 2, spoiler: 2, pre: 3 };

interface Open {
  kind: Kind;
  start: number;
  at: number;
  language?: string;
}

const reservedError = (char: string) =>
  new EntityParseError(`Character '${char}' is reserved and must be escaped with the preceding '\\'`);

const isUrl = (url: string) => URL.canParse(url) || URL.canParse(`http://${url}`);

function endsHere(open: Open, source: string, i: number): boolean {
  const [c, next, third] = [source[i], source[i + 1], source[i + 2]];
  switch (open.kind) {
    case 'bold':
      return c === '*';
    case 'italic':
      return c === '_' && next !== '_';
    case 'underline':
      return c === '_' && next === '_';
    case 'strikethrough':
      return c === '~';
    case 'spoiler':
      return c === '|' && next === '|';
    case 'code':
      return c === '`';
    case 'pre':
      return c === '`' && next === '`' && third === '`';
    case 'text_link':
      return c === ']';
    default:
      return false;
  }
}

/** Opens the entity starting at `source[i]`; returns it and the index after its marker. */
function open(source: string, i: number, start: number): [Open, number] {
  const at = byteOffset(source, i);
  const c = source.charAt(i);
  const twice = source[i + 1] === c;
  if (c === '_') return [{ kind: twice ? 'underline' : 'italic', start, at }, i + (twice ? 2 : 1)];
  if (c === '*') return [{ kind: 'bold', start, at }, i + 1];
  if (c === '~') return [{ kind: 'strikethrough', start, at }, i + 1];
  if (c === '|' && twice) return [{ kind: 'spoiler', start, at }, i + 2];
  if (c === '[') return [{ kind: 'text_link', start, at }, i + 1];
  if (c !== '`') throw reservedError(c);
  if (!(twice && source[i + 2] === '`')) return [{ kind: 'code', start, at }, i + 1];
  let next = i + 3;
  const language = /^[^\s`]+(?=\s)/.exec(source.slice(next))?.[0];
  if (language) next += language.length;
  // One line break after the opening fence belongs to the fence, not to the code.
  next += /^(\r\n|\n\r|\n|\r)/.exec(source.slice(next))?.[0].length ?? 0;
  return [{ kind: 'pre', start, at, ...(language ? { language } : {}) }, next];
}

/** Reads `(url)` after a link's `]`; returns the url (undefined if none) and the index after it. */
function readUrl(source: string, i: number): [string | undefined, number] {
  if (source[i] !== '(') return [undefined, i];
  let url = '';
  let j = i + 1;
  while (j < source.length && source[j] !== ')') {
    const escaped = source[j] === '\\' && source.charCodeAt(j + 1) <= 126;
    url += source.charAt(escaped ? j + 1 : j);
    j += escaped ? 2 : 1;
  }
  if (j >= source.length)
    throw new EntityParseError(`Can't find end of a URL at byte offset ${byteOffset(source, i + 1)}`);
  return [url, j + 1];
}

function close(entry: Open, text: string, url: string | undefined): MessageEntity | undefined {
  const length = text.length - entry.start;
  if (length === 0) return undefined;
  const offset = entry.start;
  if (entry.kind === 'text_link') {
    const target = url ?? text.slice(entry.start);
    return isUrl(target) ? { type: 'text_link', offset, length, url: target } : undefined;
  }
  if (entry.kind === 'pre')
    return { type: 'pre', offset, length, ...(entry.language ? { language: entry.language } : {}) };
  return { type: entry.kind, offset, length };
}

/** Telegram's MarkdownV2: every reserved character outside an entity must be escaped. */
export function parseMarkdownV2(source: string): FormattedText {
  let text = '';
  const stack: Open[] = [];
  const entities: MessageEntity[] = [];
  let quoteStart: number | undefined;
  for (let i = 0; i < source.length;) {
    const top = stack.at(-1);
    const lineStart = i === 0 || source[i - 1] === '\n';
    if (lineStart && top?.kind !== 'pre' && top?.kind !== 'code') {
      if (source[i] === '>') {
        quoteStart ??= text.length;
        i++;
        continue;
      }
      if (quoteStart !== undefined) {
        entities.push({ type: 'blockquote', offset: quoteStart, length: text.length - 1 - quoteStart });
        quoteStart = undefined;
      }
    }
    const c = source.charAt(i);
    if (c === '\\' && i + 1 < source.length && source.charCodeAt(i + 1) <= 126) {
      text += source.charAt(i + 1);
      i += 2;
      continue;
    }
    const reserved = top?.kind === 'code' || top?.kind === 'pre' ? '`' : RESERVED;
    if (!reserved.includes(c)) {
      text += c;
      i++;
      continue;
    }
    if (!top || !endsHere(top, source, i)) {
      const [entry, next] = open(source, i, text.length);
      stack.push(entry);
      i = next;
      continue;
    }
    stack.pop();
    const width = markerWidths[top.kind] ?? 1;
    const [url, next] = top.kind === 'text_link' ? readUrl(source, i + 1) : [undefined, i + width];
    const entity = close(top, text, url);
    if (entity) entities.push(entity);
    i = next;
  }
  const unclosed = stack.pop();
  if (unclosed)
    throw new EntityParseError(
      `Can't find end of ${names[unclosed.kind]} entity at byte offset ${unclosed.at}`,
    );
  if (quoteStart !== undefined && text.length > quoteStart) {
    entities.push({ type: 'blockquote', offset: quoteStart, length: text.length - quoteStart });
  }
  return { text, entities: sortEntities(entities) };
}

/** Telegram's legacy Markdown: `*bold*`, `_italic_`, `` `code` ``, ```` ```pre``` ````, `[text](url)`, no nesting. */
export function parseMarkdown(source: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  for (let i = 0; i < source.length;) {
    const c = source.charAt(i);
    if (c === '\\' && '_*`['.includes(source[i + 1] ?? ' ')) {
      text += source.charAt(i + 1);
      i += 2;
      continue;
    }
    if (!'_*`['.includes(c)) {
      text += c;
      i++;
      continue;
    }
    const pre = source.startsWith('```', i);
    const fence = pre ? '```' : c === '[' ? ']' : c;
    const end = source.indexOf(fence, i + (pre ? 3 : 1));
    if (end < 0)
      throw new EntityParseError(
        `Can't find end of the entity starting at byte offset ${byteOffset(source, i)}`,
      );
    const [entry, bodyStart]: [Open, number] = pre
      ? open(source, i, text.length)
      : [{ kind: 'code', start: text.length, at: 0 }, i + 1];
    text += source.slice(bodyStart, end);
    const kind: Kind = pre
      ? 'pre'
      : c === '_'
        ? 'italic'
        : c === '*'
          ? 'bold'
          : c === '['
            ? 'text_link'
            : 'code';
    const [url, next] = kind === 'text_link' ? readUrl(source, end + 1) : [undefined, end + fence.length];
    const entity = close({ ...entry, kind }, text, url);
    if (entity) entities.push(entity);
    i = next;
  }
  return { text, entities: sortEntities(entities) };
}
