import type { User, UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { World } from '../world/index.ts';
import type { Params } from './params.ts';

export interface MethodContext {
  world: World;
  token: string;
  /** The bot this token belongs to: its id is the token's number. */
  bot: UserFromGetMe;
  params: Params;
  /** Aborts when the client hangs up (a held getUpdates stops waiting). */
  signal: AbortSignal;
  logger: Logger;
}

/** A result Telegram sends with a `description` beside it ("Webhook was set"). */
export class Described {
  readonly result: unknown;
  readonly description: string;

  constructor(result: unknown, description: string) {
    this.result = result;
    this.description = description;
  }
}

export type Method = (context: MethodContext) => unknown;

/** The sandbox's bot as getMe shows it; every token is a bot named Shop. */
export function botUser(token: string): UserFromGetMe {
  const id = Number(token.split(':')[0]);
  return {
    id: id > 0 ? id : 1,
    is_bot: true,
    first_name: 'Shop',
    username: 'shop_sandbox_bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

/** The bot as `from` of its messages: a plain User, without getMe's capability fields. */
export const senderOf = (bot: UserFromGetMe): User => ({
  id: bot.id,
  is_bot: true,
  first_name: bot.first_name,
  username: bot.username,
});
