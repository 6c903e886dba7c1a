import { describe, expect, it } from 'vitest';
import { finalText, progressText } from '../src/domain/announcement-texts.ts';

const underway = { id: 12, total: 1_000, sent: 120, failed: 3, blocked: 2, left: 877 };
const finished = { id: 12, total: 1_000, sent: 950, failed: 50, blocked: 50, left: 0 };

describe("the admin's progress and final count", () => {
  it('read in English for every language but Russian', () => {
    expect(progressText(underway, 'de')).toBe(
      '📣 Announcement #12 is on its way to 1000 buyers.\nSent: 120 · Failed: 3 · Left: 877',
    );
    expect(progressText(finished, null)).toBe(
      '📣 Announcement #12 is finished.\nSent: 950 · Failed: 50 · Left: 0',
    );
    expect(finalText(finished, 'en-GB')).toBe(
      '✅ Announcement #12: sent to 950 of 1000 buyers.\nNot delivered: 50 (50 of them blocked the bot).',
    );
    expect(finalText({ ...finished, sent: 1_000, failed: 0, blocked: 0 }, 'en')).toBe(
      '✅ Announcement #12: sent to 1000 of 1000 buyers.',
    );
  });

  it('say buyer for one, in either language', () => {
    const one = { id: 3, total: 1, sent: 1, failed: 0, blocked: 0, left: 0 };
    expect(finalText(one, 'en')).toBe('✅ Announcement #3: sent to 1 of 1 buyer.');
    expect(finalText(one, 'ru')).toBe('✅ Рассылка №3: отправлено 1 из 1 покупателя.');
    expect(progressText({ ...one, sent: 0, left: 1 }, 'ru')).toMatch(/отправляется 1 покупателю\./);
    expect(finalText({ ...one, total: 21, sent: 21 }, 'ru')).toBe(
      '✅ Рассылка №3: отправлено 21 из 21 покупателя.',
    );
  });

  it('read in Russian for ru', () => {
    expect(progressText(underway, 'ru-RU')).toBe(
      '📣 Рассылка №12 отправляется 1000 покупателям.\nОтправлено: 120 · Не доставлено: 3 · Осталось: 877',
    );
    expect(finalText(finished, 'ru')).toBe(
      '✅ Рассылка №12: отправлено 950 из 1000 покупателей.\nНе доставлено: 50 (из них заблокировали бота: 50).',
    );
  });
});
