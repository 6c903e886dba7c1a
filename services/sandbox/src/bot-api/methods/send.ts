import type { Message } from 'grammy/types';
import { inlineKeyboardOf, readReplyMarkup } from '../reply-markup.ts';
import { senderOf, type Method } from '../context.ts';
import { badRequest } from '../errors.ts';
import { CAPTION, chatOf, formattedFrom, MESSAGE_TEXT } from '../inputs.ts';
import { photoFrom, photoSizes } from './photo.ts';

const ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export const sendMessage: Method = ({ world, params, bot }) => {
  const { text, entities, parseMode } = formattedFrom(params, MESSAGE_TEXT);
  const chat = chatOf(world, params);
  const replyMarkup = readReplyMarkup(params);
  const inline = inlineKeyboardOf(replyMarkup);
  const stored = world.chats.append(
    chat,
    'bot',
    (base): Message => ({
      ...base,
      from: senderOf(bot),
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...(inline ? { reply_markup: inline } : {}),
    }),
    { ...(replyMarkup ? { replyMarkup } : {}), ...(parseMode ? { parseMode } : {}) },
  );
  return stored.message;
};

export const sendPhoto: Method = async ({ world, params, bot }) => {
  const caption = formattedFrom(params, CAPTION);
  const chat = chatOf(world, params);
  const replyMarkup = readReplyMarkup(params);
  const inline = inlineKeyboardOf(replyMarkup);
  const file = await photoFrom(world, params);
  const stored = world.chats.append(
    chat,
    'bot',
    (base): Message => ({
      ...base,
      from: senderOf(bot),
      photo: photoSizes(file),
      ...(caption.text ? { caption: caption.text } : {}),
      ...(caption.entities.length > 0 ? { caption_entities: caption.entities } : {}),
      ...(inline ? { reply_markup: inline } : {}),
    }),
    {
      ...(replyMarkup ? { replyMarkup } : {}),
      ...(caption.parseMode ? { parseMode: caption.parseMode } : {}),
    },
  );
  return stored.message;
};

export const sendChatAction: Method = ({ world, params }) => {
  const chat = chatOf(world, params);
  const action = params.string('action') ?? '';
  if (!ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
  world.events.publish({ type: 'chat_action', chatId: chat.chat.id, action });
  return true;
};
