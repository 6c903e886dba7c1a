import { isDeepStrictEqual } from 'node:util';
import type { Message, MessageEntity, PhotoSize } from 'grammy/types';
import { unixNow, type ChatState } from '../../world/chats.ts';
import type { ReplyMarkup, StoredMessage } from '../../world/types.ts';
import type { Method, MethodContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { CAPTION, chatOf, formattedFrom, MESSAGE_TEXT, messageIdOf } from '../inputs.ts';
import { Params, type RawParams } from '../params.ts';
import { inlineKeyboardOf, readReplyMarkup } from '../reply-markup.ts';
import { photoFromValue, photoSizes } from './photo.ts';

/** What an edit may change; an undefined field is removed from the message. */
interface Content {
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
}

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

/** The bot's own message that `chat_id` and `message_id` name. */
function messageToEdit({ world, params }: MethodContext): [ChatState, StoredMessage] {
  if (params.has('inline_message_id')) throw badRequest('MESSAGE_ID_INVALID');
  const chat = chatOf(world, params);
  const stored = chat.messages.get(messageIdOf(params));
  if (!stored) throw badRequest('message to edit not found');
  if (stored.from !== 'bot') throw badRequest("message can't be edited");
  return [chat, stored];
}

/**
 * Applies an edit. As on Telegram, an edit without reply_markup drops the inline keyboard, and an
 * edit that changes nothing is refused.
 */
function applyEdit(
  context: MethodContext,
  [chat, stored]: [ChatState, StoredMessage],
  content: Content,
  parseMode: StoredMessage['parseMode'],
): Message {
  const markup = readReplyMarkup(context.params, { inlineOnly: true });
  const inline = inlineKeyboardOf(markup);
  const current = stored.message;
  const fields = Object.keys(content);
  const defined = (entries: [string, unknown][]) => entries.filter(([, value]) => value !== undefined);
  const before = Object.fromEntries(defined(Object.entries(current).filter(([key]) => fields.includes(key))));
  const after = Object.fromEntries(defined(Object.entries(content)));
  if (isDeepStrictEqual(before, after) && isDeepStrictEqual(current.reply_markup, inline)) {
    throw badRequest(NOT_MODIFIED);
  }
  const kept = Object.entries(current).filter(([key]) => key !== 'reply_markup' && !fields.includes(key));
  // Rebuilt from entries, so TypeScript no longer sees a Message; it is one field set for another.
  const message = {
    ...Object.fromEntries(kept),
    ...after,
    ...(inline ? { reply_markup: inline } : {}),
    edit_date: unixNow(),
  } as unknown as Message;
  // A reply keyboard belongs to the chat, not to the message: editing the message keeps it.
  const keptKeyboard: ReplyMarkup | undefined = inlineKeyboardOf(stored.replyMarkup)
    ? undefined
    : stored.replyMarkup;
  const replyMarkup = inline ?? keptKeyboard;
  context.world.chats.replace(chat, {
    message,
    from: stored.from,
    ...(replyMarkup ? { replyMarkup } : {}),
    ...(parseMode ? { parseMode } : {}),
    ...(stored.invoice ? { invoice: stored.invoice } : {}),
  });
  return message;
}

export const editMessageText: Method = (context) => {
  const { text, entities, parseMode } = formattedFrom(context.params, MESSAGE_TEXT);
  const target = messageToEdit(context);
  if (target[1].message.text === undefined) throw badRequest('there is no text in the message to edit');
  return applyEdit(
    context,
    target,
    { text, entities: entities.length > 0 ? entities : undefined },
    parseMode,
  );
};

export const editMessageCaption: Method = (context) => {
  const { text, entities, parseMode } = formattedFrom(context.params, CAPTION);
  const target = messageToEdit(context);
  if (target[1].message.photo === undefined) throw badRequest('there is no caption in the message to edit');
  const content = {
    caption: text || undefined,
    caption_entities: entities.length > 0 ? entities : undefined,
  };
  return applyEdit(context, target, content, parseMode);
};

const BAD_MEDIA = "can't parse InputMedia JSON object";

/**
 * Replaces a message's media (and caption) with an InputMediaPhoto: an upload (`attach://<name>`),
 * a file_id or a URL. As on Telegram, it also adds a photo to a text message, whose text goes; the
 * sandbox takes photos only.
 */
export const editMessageMedia: Method = async (context) => {
  const media = context.params.json('media', BAD_MEDIA);
  if (typeof media !== 'object' || media === null || Array.isArray(media)) throw badRequest(BAD_MEDIA);
  const input = new Params(media as RawParams);
  if (input.string('type') !== 'photo')
    throw badRequest('the sandbox edits media to photos only (InputMediaPhoto)');
  const target = messageToEdit(context);
  const { text, entities, parseMode } = formattedFrom(input, CAPTION);
  const file = await photoFromValue(context.world, context.params, input.raw.media);
  const content: Content = {
    text: undefined,
    entities: undefined,
    photo: photoSizes(file),
    caption: text || undefined,
    caption_entities: entities.length > 0 ? entities : undefined,
  };
  return applyEdit(context, target, content, parseMode);
};

export const editMessageReplyMarkup: Method = (context) => {
  const target = messageToEdit(context);
  return applyEdit(context, target, {}, target[1].parseMode);
};

export const deleteMessage: Method = ({ world, params }) => {
  const chat = chatOf(world, params);
  if (!world.chats.delete(chat, messageIdOf(params))) throw badRequest('message to delete not found');
  return true;
};

export const deleteMessages: Method = ({ world, params }) => {
  const chat = chatOf(world, params);
  const ids = params.json('message_ids', "can't parse message identifiers JSON object");
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100)
    throw badRequest('message identifiers are not specified');
  // Telegram skips the ones it cannot find.
  for (const id of ids) if (Number.isSafeInteger(id)) world.chats.delete(chat, id as number);
  return true;
};
