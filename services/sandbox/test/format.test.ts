import { describe, expect, it } from 'vitest';
import { formatText } from '../src/format/index.ts';

describe('parse_mode HTML', () => {
  it('turns tags into entities and decodes the four named entities', () => {
    expect(
      formatText('<b>Order #5</b> paid &amp; <a href="https://x.test/?a=1&amp;b=2">see</a>', 'HTML'),
    ).toEqual({
      text: 'Order #5 paid & see',
      entities: [
        { type: 'bold', offset: 0, length: 8 },
        { type: 'text_link', offset: 16, length: 3, url: 'https://x.test/?a=1&b=2' },
      ],
    });
  });

  it('gives <pre><code class="language-…"> one pre entity with the language', () => {
    expect(formatText('<pre><code class="language-ts">a &lt; b</code></pre>', 'HTML')).toEqual({
      text: 'a < b',
      entities: [{ type: 'pre', offset: 0, length: 5, language: 'ts' }],
    });
  });

  it.each([
    ['1 < 2', 'Unsupported start tag "" at byte offset 2'],
    ['<br>', 'Unsupported start tag "br" at byte offset 0'],
    ['<b>bold', 'Can\'t find end tag corresponding to start tag "b"'],
    ['<b>x</i>', 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
    ['ы</b>', 'Unexpected end tag at byte offset 2'],
  ])('refuses %j as Telegram does', (source, message) => {
    expect(() => formatText(source, 'HTML')).toThrow(message);
  });
});

describe('parse_mode MarkdownV2', () => {
  it('parses nested styles, escapes and links', () => {
    expect(formatText('*bold _both_* \\. [docs](https://x.test/a\\)b)', 'MarkdownV2')).toEqual({
      text: 'bold both . docs',
      entities: [
        { type: 'bold', offset: 0, length: 9 },
        { type: 'italic', offset: 5, length: 4 },
        { type: 'text_link', offset: 12, length: 4, url: 'https://x.test/a)b' },
      ],
    });
  });

  it('refuses an unescaped reserved character and an unclosed entity', () => {
    expect(() => formatText('Total: 5.00', 'MarkdownV2')).toThrow(
      "Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    expect(() => formatText('a *b', 'MarkdownV2')).toThrow("Can't find end of Bold entity at byte offset 2");
  });
});

describe('parse_mode Markdown (legacy)', () => {
  it('parses the four legacy entities and refuses an unclosed one', () => {
    expect(
      formatText('*b* _i_ `c` [t](https://x.test)', 'Markdown').entities.map((entity) => entity.type),
    ).toEqual(['bold', 'italic', 'code', 'text_link']);
    expect(() => formatText('*b', 'Markdown')).toThrow(
      "Can't find end of the entity starting at byte offset 0",
    );
  });
});

describe('entities Telegram finds by itself', () => {
  it('marks bot commands and links in plain text, but not inside code', () => {
    expect(formatText('Send /help or see https://shop.test.', undefined).entities).toEqual([
      { type: 'bot_command', offset: 5, length: 5 },
      { type: 'url', offset: 18, length: 17 },
    ]);
    expect(formatText('<code>/help</code>', 'HTML').entities).toEqual([
      { type: 'code', offset: 0, length: 5 },
    ]);
  });
});
