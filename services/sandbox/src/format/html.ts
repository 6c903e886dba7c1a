import type { MessageEntity } from 'grammy/types';
import { byteOffset, EntityParseError, sortEntities, type FormattedText } from './entities.ts';

// The tags Telegram's HTML parse mode knows (https://core.telegram.org/bots/api#html-style).
const kinds: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  a: 'link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};
const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  attributes: Map<string, string>;
  start: number;
}

/** Decodes the entity at `source[index] === '&'`; an unknown one stays literal text, as in Telegram. */
function decodeEntity(source: string, index: number): [string, number] {
  const match = /^&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/i.exec(source.slice(index, index + 12));
  if (!match) return ['&', 1];
  const body = match[1] ?? '';
  const code =
    body.startsWith('#x') || body.startsWith('#X') ? parseInt(body.slice(2), 16) : Number(body.slice(1));
  const text = body.startsWith('#')
    ? code <= 0x10ffff
      ? String.fromCodePoint(code)
      : undefined
    : named[body];
  return text === undefined ? ['&', 1] : [text, match[0].length];
}

const decode = (value: string) => {
  let out = '';
  for (let i = 0; i < value.length;) {
    const [text, used] = value[i] === '&' ? decodeEntity(value, i) : [value.charAt(i), 1];
    out += text;
    i += used;
  }
  return out;
};

/** Reads `name="value"` pairs up to `>`; returns the attributes and the index after `>`. */
function readAttributes(
  source: string,
  from: number,
  tag: string,
  tagAt: number,
): [Map<string, string>, number] {
  const attributes = new Map<string, string>();
  let i = from;
  for (;;) {
    while (/\s/.test(source[i] ?? '')) i++;
    if (i >= source.length) throw new EntityParseError(`Unclosed start tag at byte offset ${tagAt}`);
    if (source[i] === '>') return [attributes, i + 1];
    const name = (/^[\w-]*/.exec(source.slice(i))?.[0] ?? '').toLowerCase();
    if (!name) throw new EntityParseError(`Empty attribute name in the tag "${tag}" at byte offset ${tagAt}`);
    i += name.length;
    while (/\s/.test(source[i] ?? '')) i++;
    if (source[i] !== '=') {
      attributes.set(name, '');
      continue;
    }
    i++;
    while (/\s/.test(source[i] ?? '')) i++;
    const quote = source[i];
    const end =
      quote === '"' || quote === "'" ? source.indexOf(quote, i + 1) : source.slice(i).search(/[\s>]|$/) + i;
    if (end < 0) throw new EntityParseError(`Unclosed start tag at byte offset ${tagAt}`);
    const quoted = quote === '"' || quote === "'";
    attributes.set(name, decode(source.slice(quoted ? i + 1 : i, end)));
    i = quoted ? end + 1 : end;
  }
}

function toEntity(tag: OpenTag, offset: number, length: number, inPre: boolean): MessageEntity | undefined {
  const kind = kinds[tag.name];
  if (!kind) return undefined;
  const attr = (name: string) => tag.attributes.get(name);
  if (kind === 'link') {
    const url = attr('href');
    return url ? { type: 'text_link', offset, length, url } : undefined;
  }
  if (kind === 'custom_emoji') {
    const id = attr('emoji-id');
    return id ? { type: 'custom_emoji', offset, length, custom_emoji_id: id } : undefined;
  }
  if (kind === 'pre') {
    const language = attr('language');
    return language ? { type: 'pre', offset, length, language } : { type: 'pre', offset, length };
  }
  // `<pre><code class="language-x">` is one pre entity with a language, not two entities.
  if (kind === 'code' && inPre) return undefined;
  if (kind === 'blockquote' && tag.attributes.has('expandable')) {
    return { type: 'expandable_blockquote', offset, length };
  }
  return { type: kind as 'bold', offset, length };
}

/** Parses Telegram's HTML parse mode into plain text and entities, with Telegram's error messages. */
export function parseHtml(source: string): FormattedText {
  let text = '';
  const stack: OpenTag[] = [];
  const entities: MessageEntity[] = [];
  for (let i = 0; i < source.length;) {
    const char = source.charAt(i);
    if (char === '&') {
      const [decoded, used] = decodeEntity(source, i);
      text += decoded;
      i += used;
      continue;
    }
    if (char !== '<') {
      text += char;
      i++;
      continue;
    }
    const at = byteOffset(source, i);
    if (source[i + 1] === '/') {
      const match = /^<\/([\w-]*)\s*>/.exec(source.slice(i));
      if (!match) throw new EntityParseError(`Unclosed end tag at byte offset ${at}`);
      const name = (match[1] ?? '').toLowerCase();
      const open = stack.pop();
      if (!open) throw new EntityParseError(`Unexpected end tag at byte offset ${at}`);
      if (open.name !== name) {
        throw new EntityParseError(
          `Unmatched end tag at byte offset ${at}, expected "</${open.name}>", found "</${name}>"`,
        );
      }
      const inPre = stack.some((tag) => tag.name === 'pre');
      const entity =
        text.length > open.start ? toEntity(open, open.start, text.length - open.start, inPre) : undefined;
      if (entity) entities.push(entity);
      // The <pre> entity is built when </pre> closes, so its language can still be set here.
      if (open.name === 'code' && inPre) {
        const language = /^language-(.+)$/.exec(open.attributes.get('class') ?? '')?.[1];
        const pre = stack.findLast((tag) => tag.name === 'pre');
        if (language) pre?.attributes.set('language', language);
      }
      i += match[0].length;
      continue;
    }
    const name = (/^[\w-]*/.exec(source.slice(i + 1))?.[0] ?? '').toLowerCase();
    if (!(name in kinds)) throw new EntityParseError(`Unsupported start tag "${name}" at byte offset ${at}`);
    const [attributes, next] = readAttributes(source, i + 1 + name.length, name, at);
    if (name === 'span' && attributes.get('class') !== 'tg-spoiler') {
      throw new EntityParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
    }
    stack.push({ name, attributes, start: text.length });
    i = next;
  }
  const unclosed = stack.pop();
  if (unclosed)
    throw new EntityParseError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities: sortEntities(entities) };
}
