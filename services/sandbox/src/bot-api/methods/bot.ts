import type { BotCommand } from 'grammy/types';
import type { CommandScope } from '../../world/commands.ts';
import type { Method } from '../context.ts';
import { badRequest } from '../errors.ts';
import type { Params } from '../params.ts';

const COMMAND = /^[a-z0-9_]{1,32}$/;
const LANGUAGE = /^([a-z]{2})?$/;

function scopeAndLanguage(params: Params): [CommandScope, string] {
  const scope = params.json('scope', "can't parse BotCommandScope JSON object") ?? { type: 'default' };
  if (typeof scope !== 'object' || typeof (scope as CommandScope | null)?.type !== 'string') {
    throw badRequest("can't parse BotCommandScope JSON object");
  }
  const language = params.string('language_code') ?? '';
  if (!LANGUAGE.test(language)) throw badRequest('invalid language code specified');
  return [scope as CommandScope, language];
}

function commandsFrom(params: Params): BotCommand[] {
  const raw = params.json('commands', "can't parse commands JSON object");
  if (!Array.isArray(raw)) throw badRequest("can't parse commands JSON object");
  if (raw.length > 100) throw badRequest('too many commands specified');
  return raw.map((entry: unknown) => {
    const { command, description } = (entry ?? {}) as Partial<BotCommand>;
    if (typeof command !== 'string' || !COMMAND.test(command)) throw badRequest('BOT_COMMAND_INVALID');
    if (typeof description !== 'string' || description.length < 1 || description.length > 256) {
      throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    }
    return { command, description };
  });
}

export const getMe: Method = ({ bot }) => bot;

export const setMyCommands: Method = ({ world, params }) => {
  const commands = commandsFrom(params);
  world.commands.set(...scopeAndLanguage(params), commands);
  return true;
};

export const getMyCommands: Method = ({ world, params }) => world.commands.get(...scopeAndLanguage(params));

export const deleteMyCommands: Method = ({ world, params }) => {
  world.commands.set(...scopeAndLanguage(params), []);
  return true;
};

export const answerCallbackQuery: Method = ({ world, params }) => {
  const record = world.callbacks.get(params.string('callback_query_id') ?? '');
  if (!record || record.answered) {
    throw badRequest('query is too old and response timeout expired or query ID is invalid');
  }
  const text = params.string('text');
  if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
  record.answered = true;
  record.showAlert = params.bool('show_alert');
  if (text) record.text = text;
  world.events.publish({
    type: 'callback_answered',
    chatId: record.chatId,
    callbackQueryId: record.id,
    messageId: record.messageId,
    ...(text ? { text } : {}),
    showAlert: record.showAlert,
  });
  return true;
};
