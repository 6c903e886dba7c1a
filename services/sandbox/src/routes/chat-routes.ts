import { createRoute } from '@hono/zod-openapi';
import { conflict, errorResponses, jsonBody, jsonResponse, notFound, type ServiceApp } from '@shop/shared';
import type { Message } from 'grammy/types';
import { formatText } from '../format/index.ts';
import { type ChatState, ownContact, telegramUser } from '../world/chats.ts';
import type { World } from '../world/index.ts';
import { messageView } from '../world/views.ts';
import {
  chatParamsSchema,
  messageListSchema,
  newUserSchema,
  pressResultSchema,
  pressSchema,
  sentMessageSchema,
  userListSchema,
  userMessageSchema,
  userSchema,
} from './schemas.ts';

const tags = ['sandbox'];
const createUserRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/users',
  tags,
  request: { body: jsonBody(newUserSchema) },
  responses: {
    201: jsonResponse(userSchema, 'Created; their private chat exists now'),
    ...errorResponses(400, 409),
  },
});
const listUsersRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/users',
  tags,
  responses: { 200: jsonResponse(userListSchema, 'Every user, oldest first') },
});
const sendRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/chats/{chatId}/messages',
  tags,
  description: 'The user sends text to the bot: the bot gets an update with `message`.',
  request: { params: chatParamsSchema, body: jsonBody(userMessageSchema) },
  responses: {
    201: jsonResponse(sentMessageSchema, 'Sent'),
    ...errorResponses(400, 404),
  },
});
const shareContactRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/chats/{chatId}/contact',
  tags,
  description:
    'The user shares their own phone number, as a keyboard button with `request_contact` does: the bot gets an update with `message.contact`.',
  request: { params: chatParamsSchema },
  responses: {
    201: jsonResponse(sentMessageSchema, 'Shared'),
    ...errorResponses(400, 404),
  },
});
const historyRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/chats/{chatId}/messages',
  tags,
  request: { params: chatParamsSchema },
  responses: { 200: jsonResponse(messageListSchema, 'The chat, oldest first'), ...errorResponses(400, 404) },
});
const pressRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/chats/{chatId}/callbacks',
  tags,
  description:
    'The user presses an inline button of a bot message: the bot gets an update with `callback_query`.',
  request: { params: chatParamsSchema, body: jsonBody(pressSchema) },
  responses: { 201: jsonResponse(pressResultSchema, 'Pressed'), ...errorResponses(400, 404) },
});

/** Users, what they type, and the inline buttons they press. */
export function registerChatRoutes(app: ServiceApp, world: World): void {
  const chatOf = (chatId: number) => {
    const chat = world.chats.get(chatId);
    if (!chat) throw notFound(`User ${chatId}`);
    return chat;
  };

  app.openapi(createUserRoute, (c) => {
    const input = c.req.valid('json');
    if (input.id !== undefined && world.chats.get(input.id)) {
      throw conflict('user_exists', `User ${input.id} already exists`);
    }
    return c.json(world.chats.addUser(input), 201);
  });

  app.openapi(listUsersRoute, (c) => c.json({ users: world.chats.users() }, 200));

  /** A message from the user, in the chat and as an update for the bot. */
  const fromUser = (chat: ChatState, content: Pick<Message, 'text' | 'entities' | 'contact'>) => {
    const from = telegramUser(chat.user);
    const stored = world.chats.append(chat, 'user', (base): Message => ({ ...base, from, ...content }));
    world.updates.push({ message: { ...stored.message, chat: chat.chat, from } });
    return messageView(stored);
  };

  app.openapi(sendRoute, (c) => {
    const chat = chatOf(c.req.valid('param').chatId);
    const { text, entities } = formatText(c.req.valid('json').text);
    const message = fromUser(chat, { text, ...(entities.length > 0 ? { entities } : {}) });
    return c.json({ message }, 201);
  });

  app.openapi(shareContactRoute, (c) => {
    const chat = chatOf(c.req.valid('param').chatId);
    return c.json({ message: fromUser(chat, { contact: ownContact(chat.user) }) }, 201);
  });

  app.openapi(historyRoute, (c) => {
    const chat = chatOf(c.req.valid('param').chatId);
    return c.json({ messages: [...chat.messages.values()].map(messageView) }, 200);
  });

  app.openapi(pressRoute, (c) => {
    const chat = chatOf(c.req.valid('param').chatId);
    const { messageId, data } = c.req.valid('json');
    const stored = chat.messages.get(messageId);
    const buttons = stored?.from === 'bot' ? (stored.message.reply_markup?.inline_keyboard.flat() ?? []) : [];
    if (!stored || !buttons.some((button) => 'callback_data' in button && button.callback_data === data)) {
      throw notFound(`A button with callback data ${JSON.stringify(data)} on message ${messageId}`);
    }
    const record = world.callbacks.create(chat.chat.id, messageId, data);
    world.updates.push({
      callback_query: {
        id: record.id,
        from: telegramUser(chat.user),
        message: stored.message,
        // Telegram's chat_instance is opaque and stable per chat.
        chat_instance: String(-chat.chat.id),
        data,
      },
    });
    return c.json({ callbackQueryId: record.id }, 201);
  });
}
