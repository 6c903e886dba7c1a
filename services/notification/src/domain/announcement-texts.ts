import { languageOf } from '@shop/shared';

/** How far an announcement got, as its admin is shown it. `failed` includes `blocked`. */
export interface AnnouncementCounts {
  id: number;
  total: number;
  sent: number;
  failed: number;
  blocked: number;
  left: number;
}

const enPlural = new Intl.PluralRules('en');
const ruPlural = new Intl.PluralRules('ru');
/** "buyer(s)" after a number: English one/other; Russian genitive (из …) and dative (… им) one/many. */
const buyers = {
  en: (n: number) => (enPlural.select(n) === 'one' ? 'buyer' : 'buyers'),
  ruGenitive: (n: number) => (ruPlural.select(n) === 'one' ? 'покупателя' : 'покупателей'),
  ruDative: (n: number) => (ruPlural.select(n) === 'one' ? 'покупателю' : 'покупателям'),
};

const texts = {
  en: {
    sending: (c: AnnouncementCounts) =>
      `📣 Announcement #${c.id} is on its way to ${c.total} ${buyers.en(c.total)}.\nSent: ${c.sent} · Failed: ${c.failed} · Left: ${c.left}`,
    finished: (c: AnnouncementCounts) =>
      `📣 Announcement #${c.id} is finished.\nSent: ${c.sent} · Failed: ${c.failed} · Left: 0`,
    final: (c: AnnouncementCounts) =>
      [
        `✅ Announcement #${c.id}: sent to ${c.sent} of ${c.total} ${buyers.en(c.total)}.`,
        ...(c.failed > 0 ? [`Not delivered: ${c.failed} (${c.blocked} of them blocked the bot).`] : []),
      ].join('\n'),
  },
  ru: {
    sending: (c: AnnouncementCounts) =>
      `📣 Рассылка №${c.id} отправляется ${c.total} ${buyers.ruDative(c.total)}.\nОтправлено: ${c.sent} · Не доставлено: ${c.failed} · Осталось: ${c.left}`,
    finished: (c: AnnouncementCounts) =>
      `📣 Рассылка №${c.id} завершена.\nОтправлено: ${c.sent} · Не доставлено: ${c.failed} · Осталось: 0`,
    final: (c: AnnouncementCounts) =>
      [
        `✅ Рассылка №${c.id}: отправлено ${c.sent} из ${c.total} ${buyers.ruGenitive(c.total)}.`,
        ...(c.failed > 0 ? [`Не доставлено: ${c.failed} (из них заблокировали бота: ${c.blocked}).`] : []),
      ].join('\n'),
  },
} as const;

/** The progress message (edited as the announcement goes), in the admin's language. */
export const progressText = (counts: AnnouncementCounts, languageCode: string | null) =>
  counts.left > 0
    ? texts[languageOf(languageCode)].sending(counts)
    : texts[languageOf(languageCode)].finished(counts);

/** The message posted once the announcement is finished, in the admin's language. */
export const finalText = (counts: AnnouncementCounts, languageCode: string | null) =>
  texts[languageOf(languageCode)].final(counts);
