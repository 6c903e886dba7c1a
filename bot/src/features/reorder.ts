import { ServiceUnavailableError } from '@shop/shared';
import { Composer } from 'grammy';
import { onPress, reorderButton } from '../buttons.ts';
import { ServiceResponseError } from '../clients/http.ts';
import type { Cart } from '../clients/order.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { localeOf } from '../i18n.ts';
import { SessionExpiredError } from '../sign-ins.ts';
import { answer } from '../ui.ts';
import { cartView } from '../views/cart.ts';
import { MAX_PRODUCTS } from './cart.ts';

type PutBack =
  { kind: 'not-yours' } | { kind: 'done'; cart: Cart; lines: number; gone: string[]; full: boolean };

/**
 * Puts the lines of the buyer's own order back in their cart: each product at least at the
 * quantity ordered (a line already bigger in the cart stays as it is, so a second press changes
 * nothing). A product no longer sold is left out and named; a full cart stops there.
 */
async function putBack(deps: Dependencies, token: string, orderId: number, locale: string): Promise<PutBack> {
  const order = await deps.orders.get(token, String(orderId));
  if (!order) return { kind: 'not-yours' };
  let cart = await deps.orders.cart(token, locale);
  const gone: string[] = [];
  let lines = 0;
  for (const line of order.items) {
    const inCart = cart.items.find((item) => item.productId === line.productId)?.quantity ?? 0;
    try {
      if (inCart < line.quantity)
        cart = await deps.orders.setCartQuantity(token, line.productId, line.quantity, locale);
      lines += 1;
    } catch (error) {
      if (!(error instanceof ServiceResponseError)) throw error;
      if (error.status === 404) gone.push(line.name);
      else if (error.code === 'cart_full') return { kind: 'done', cart, lines, gone, full: true };
      else throw error;
    }
  }
  return { kind: 'done', cart, lines, gone, full: false };
}

/**
 * Order again, under notification's message that an order's invoice expired: the order's lines
 * back in the cart and the cart as a new message below (the expiry message stays as it was).
 * Someone else's order (or none) changes nothing and is said politely; so is a service that is down.
 */
export function reorderFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();
  onPress(feature, reorderButton, async (ctx, { order }) => {
    const locale = localeOf(ctx);
    let result: PutBack;
    try {
      result = await deps.signIns.withToken(ctx.from, (token) => putBack(deps, token, order, locale));
    } catch (error) {
      if (error instanceof ServiceUnavailableError)
        return answer(
          ctx,
          ctx.t('service-down-short', { service: ctx.t(`service-${error.dependency}`) }),
          true,
        );
      if (error instanceof SessionExpiredError) return answer(ctx, ctx.t('sign-in-refused'), true);
      throw error;
    }
    if (result.kind === 'not-yours') return answer(ctx, ctx.t('reorder-not-yours'), true);
    const view = cartView(ctx, locale, result.cart);
    await ctx.reply(view.text, { reply_markup: view.keyboard });
    const notes = [
      result.lines > 0
        ? ctx.t('reorder-done', { count: result.lines, number: order })
        : ctx.t('reorder-nothing', { number: order }),
      result.lines > 0 && result.gone.length > 0
        ? ctx.t('reorder-some-gone', { number: order, names: result.gone.join(', ') })
        : undefined,
      result.full ? ctx.t('cart-full', { max: MAX_PRODUCTS }) : undefined,
    ].filter((note) => note !== undefined);
    await answer(ctx, clip(notes.join('\n')), notes.length > 1 || result.lines === 0);
  });
  return feature;
}

// Telegram's limit on a button's answer.
const ANSWER_MAX = 200;
const clip = (text: string) => (text.length > ANSWER_MAX ? `${text.slice(0, ANSWER_MAX - 1)}…` : text);
