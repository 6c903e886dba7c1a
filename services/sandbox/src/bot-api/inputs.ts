import type { MessageEntity } from 'grammy/types';
import {
  EntityParseError,
  formatText,
  parseModeOf,
  type FormattedText,
  type ParseMode,
} from '../format/index.ts';
import type { ChatState } from '../world/chats.ts';
import type { World } from '../world/index.ts';
import { badRequest, blockedByUser, chatNotFound } from './errors.ts';
import type { Params } from './params.ts';

/** The private chat `chat_id` names; 403 as Telegram answers it once its user blocked the bot. */
export function chatOf(world: World, params: Params): ChatState {
  const id = params.int('chat_id');
  if (id === undefined) throw badRequest('chat_id is empty');
  const chat = id === 'invalid' ? undefined : world.chats.get(id);
  if (!chat) throw chatNotFound();
  if (chat.blocked) throw blockedByUser();
  return chat;
}

export function messageIdOf(params: Params): number {
  const id = params.int('message_id');
  if (id === undefined || id === 'invalid') throw badRequest('message identifier is not specified');
  return id;
}

export function parseModeFrom(params: Params): ParseMode | undefined {
  const value = params.string('parse_mode');
  if (!value) return undefined;
  const mode = parseModeOf(value);
  if (!mode) throw badRequest('unsupported parse_mode');
  return mode;
}

const isEntity = (value: unknown): value is MessageEntity =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as MessageEntity).type === 'string' &&
  Number.isInteger((value as MessageEntity).offset) &&
  Number.isInteger((value as MessageEntity).length);

function entitiesFrom(params: Params, field: string): MessageEntity[] | undefined {
  const raw = params.json(field, `can't parse entities JSON object`);
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || !raw.every(isEntity)) throw badRequest(`can't parse entities JSON object`);
  return raw;
}

export interface TextRules {
  field: 'text' | 'caption';
  max: number;
  /** Captions may be empty; a message text may not. */
  empty?: string;
  tooLong: string;
}

/** A text or caption with its parse_mode applied, checked against Telegram's limits. */
export function formattedFrom(params: Params, rules: TextRules): FormattedText & { parseMode?: ParseMode } {
  const source = params.string(rules.field) ?? '';
  const parseMode = parseModeFrom(params);
  let formatted: FormattedText;
  try {
    formatted = formatText(
      source,
      parseMode,
      entitiesFrom(params, rules.field === 'text' ? 'entities' : 'caption_entities'),
    );
  } catch (error) {
    if (error instanceof EntityParseError) throw badRequest(`can't parse entities: ${error.message}`);
    throw error;
  }
  if (rules.empty && formatted.text.trim() === '') throw badRequest(rules.empty);
  if (formatted.text.length > rules.max) throw badRequest(rules.tooLong);
  return { ...formatted, ...(parseMode ? { parseMode } : {}) };
}

export const MESSAGE_TEXT = {
  field: 'text',
  max: 4096,
  empty: 'message text is empty',
  tooLong: 'message is too long',
} as const satisfies TextRules;
export const CAPTION = {
  field: 'caption',
  max: 1024,
  tooLong: 'message caption is too long',
} as const satisfies TextRules;
