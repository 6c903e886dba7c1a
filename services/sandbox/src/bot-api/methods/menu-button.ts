import type { MenuButton } from 'grammy/types';
import type { World } from '../../world/index.ts';
import type { Method } from '../context.ts';
import { badRequest } from '../errors.ts';
import type { Params } from '../params.ts';
import { webAppUrl } from '../web-app-url.ts';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `menu_button` read as the Bot API reads it (absent: `default`), then checked as Telegram checks it. */
function menuButtonFrom(params: Params): MenuButton {
  const raw = params.json('menu_button', "can't parse menu button JSON object");
  if (raw === undefined) return { type: 'default' };
  const refuse = (reason: string) => badRequest(`can't parse menu button: ${reason}`);
  const string = (object: Record<string, unknown>, field: string): string => {
    if (!(field in object)) throw refuse(`Can't find field "${field}"`);
    const value = object[field];
    if (typeof value !== 'string') throw refuse(`Field "${field}" must be of type String`);
    return value;
  };
  if (!isObject(raw)) throw refuse('MenuButton must be an Object');
  const type = string(raw, 'type');
  if (type === 'default' || type === 'commands') return { type };
  if (type !== 'web_app') throw refuse('MenuButton has unsupported type');
  const text = string(raw, 'text');
  if (!('web_app' in raw)) throw refuse(`Can't find field "web_app"`);
  if (!isObject(raw.web_app)) throw refuse('Field "web_app" must be of type Object');
  const url = string(raw.web_app, 'url');
  if (text.trim() === '') throw badRequest("menu button text can't be empty");
  return { type, text, web_app: { url: webAppUrl(url, 'menu button') } };
}

/** The private chat `chat_id` names, if given: a user of this sandbox, as Telegram's check_user wants. */
function chatIdFrom(world: World, params: Params): number | undefined {
  if (!params.has('chat_id')) return undefined;
  const id = params.int('chat_id');
  if (typeof id !== 'number' || id <= 0) throw badRequest('invalid chat_id specified');
  if (!world.chats.get(id)) throw badRequest('user not found');
  return id;
}

export const setChatMenuButton: Method = ({ world, params }) => {
  const button = menuButtonFrom(params);
  const chatId = chatIdFrom(world, params);
  world.menuButtons.set(chatId, button);
  world.events.publish({ type: 'menu_button', chatId: chatId ?? null });
  return true;
};

export const getChatMenuButton: Method = ({ world, params }) =>
  world.menuButtons.get(chatIdFrom(world, params));
