import { ServiceUnavailableError } from '@shop/shared';
import type { Context } from 'grammy';
import { ServiceResponseError } from '../clients/http.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { SessionExpiredError } from '../sign-ins.ts';
import { answer } from '../ui.ts';
import { asAdmin, NotAdminError } from './role.ts';

/** How a merchant's call to the catalog ended, as plain data (conversations keep it in their log). */
export type Outcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'gone' }
  | { kind: 'down'; service: string }
  | { kind: 'refused'; status: number; code: string }
  | { kind: 'not-admin' };

/**
 * Runs `fn` with the admin's token, the role checked again first. `fn` answering undefined means
 * the product or category is gone.
 */
export async function asMerchant<T>(
  deps: Pick<Dependencies, 'auth' | 'signIns'>,
  from: NonNullable<Context['from']>,
  fn: (token: string) => Promise<T | undefined>,
): Promise<Outcome<T>> {
  try {
    const value = await asAdmin(deps, from, fn);
    return value === undefined ? { kind: 'gone' } : { kind: 'ok', value };
  } catch (error) {
    if (error instanceof NotAdminError) return { kind: 'not-admin' };
    if (error instanceof ServiceUnavailableError) return { kind: 'down', service: error.dependency };
    if (error instanceof SessionExpiredError) return { kind: 'down', service: 'auth' };
    if (error instanceof ServiceResponseError && error.status < 500)
      return { kind: 'refused', status: error.status, code: error.code };
    throw error;
  }
}

/**
 * `asMerchant` for a button press: a service that is down, the role gone meanwhile or a refusal
 * (`refusedKey`, the locale key of what the merchant is told) is said on the button, and the
 * press comes to nothing (undefined); otherwise the outcome, `ok` or `gone`.
 */
export async function pressAsMerchant<T>(
  deps: Pick<Dependencies, 'auth' | 'signIns' | 'logger'>,
  ctx: BotContext,
  fn: (token: string) => Promise<T | undefined>,
  refusedKey = 'admin-save-refused',
): Promise<Extract<Outcome<T>, { kind: 'ok' | 'gone' }> | undefined> {
  if (!ctx.from) return undefined;
  const outcome = await asMerchant(deps, ctx.from, fn);
  switch (outcome.kind) {
    case 'ok':
    case 'gone':
      return outcome;
    case 'down':
      await answer(ctx, ctx.t('service-down-short', { service: ctx.t(`service-${outcome.service}`) }), true);
      return undefined;
    case 'not-admin':
      await answer(ctx, ctx.t('button-inactive'), true);
      return undefined;
    case 'refused':
      deps.logger.warn({ outcome }, 'a service refused a merchant');
      await answer(ctx, ctx.t(refusedKey), true);
      return undefined;
  }
}
