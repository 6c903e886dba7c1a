import type { Api } from 'grammy';
import { createI18n } from './i18n.ts';

export const COMMANDS = [
  'start',
  'catalog',
  'cart',
  'orders',
  'register',
  'login',
  'logout',
  'help',
  'cancel',
] as const;

/** The command menu in English (everyone) and Russian (Russian clients), as Telegram shows it. */
export async function setCommands(api: Api): Promise<void> {
  const i18n = createI18n();
  const commands = (locale: string) =>
    COMMANDS.map((command) => ({ command, description: i18n.t(locale, `cmd-${command}`) }));
  await api.setMyCommands(commands('en'));
  await api.setMyCommands(commands('ru'), { language_code: 'ru' });
}
