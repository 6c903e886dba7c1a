import { describe, expect, it } from 'vitest';
import { formatMoney, languageOf, languageOfAcceptLanguage } from '../src/i18n/index.ts';

describe('languageOf', () => {
  it('speaks Russian to ru in any region and English to everyone else', () => {
    expect(['ru', 'RU', 'ru-RU', 'ru_UA'].map(languageOf)).toEqual(['ru', 'ru', 'ru', 'ru']);
    expect(['en', 'uk', 'rue', 'be', '', null, undefined].map(languageOf)).toEqual(Array(7).fill('en'));
  });
});

describe('languageOfAcceptLanguage', () => {
  it('takes the best of Russian and English by q-value, then order, and English otherwise', () => {
    expect(languageOfAcceptLanguage('ru-RU,ru;q=0.9,en;q=0.8')).toBe('ru');
    expect(languageOfAcceptLanguage('de-DE,de;q=0.9,ru;q=0.8,en;q=0.7')).toBe('ru');
    expect(languageOfAcceptLanguage('en;q=0.5, ru;q=0.6')).toBe('ru');
    expect(languageOfAcceptLanguage('en-GB,ru')).toBe('en');
    expect(languageOfAcceptLanguage('*, ru;q=0.5')).toBe('en');
    expect(languageOfAcceptLanguage('de, fr')).toBe('en');
    expect(languageOfAcceptLanguage('ru;q=0')).toBe('en');
    expect(languageOfAcceptLanguage(undefined)).toBe('en');
  });
});

describe('formatMoney', () => {
  it('writes dollars the US way in English and the Russian way in Russian', () => {
    expect(formatMoney(123_450, 'USD', 'en')).toBe('$1,234.50');
    expect(formatMoney(123_450, 'USD', 'ru')).toBe('1\u00a0234,50\u00a0$');
  });

  it('writes roubles and euros with a decimal comma in Russian', () => {
    expect(formatMoney(123_456, 'RUB', 'ru')).toBe('1\u00a0234,56\u00a0₽');
    expect(formatMoney(1_250, 'EUR', 'ru')).toBe('12,50\u00a0€');
    expect(formatMoney(1_250, 'EUR', 'en')).toBe('€12.50');
  });

  it('uses the currency’s own minor digits: none for yen and Telegram Stars', () => {
    expect(formatMoney(500, 'JPY', 'en')).toBe('¥500');
    expect(formatMoney(5, 'XTR', 'en')).toMatch(/^XTR\s5$/);
    expect(formatMoney(1_500, 'XTR', 'ru')).toBe('1\u00a0500\u00a0XTR');
  });

  it('never lets an amount break across lines: every space in it is a no-break space', () => {
    for (const language of ['en', 'ru'] as const) {
      for (const currency of ['USD', 'EUR', 'RUB', 'XTR']) {
        expect(formatMoney(123_456_789, currency, language)).not.toMatch(/[ \u202f]/);
      }
    }
  });
});
