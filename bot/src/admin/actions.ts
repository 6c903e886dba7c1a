import { ServiceUnavailableError } from '@shop/shared';
import type { Context } from 'grammy';
import { ServiceResponseError } from '../clients/http.ts';
import type { Dependencies } from '../context.ts';
import { SessionExpiredError } from '../sign-ins.ts';
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
