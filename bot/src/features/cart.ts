import { Composer } from 'grammy';
import {
  addToCartButton,
  cartButton,
  cartCheckoutButton,
  cartClearButton,
  cartQuantityButton,
  cartRemoveButton,
  onPress,
} from '../buttons.ts';
import { ServiceResponseError } from '../clients/http.ts';
import type { Cart } from '../clients/order.ts';
import type { BotContext, Dependencies } from '../context.ts';
import type { CheckoutSource } from '../conversations/checkout-steps.ts';
import { localeOf } from '../i18n.ts';
import type { TelegramFrom } from '../telegram-profile.ts';
import { answer, guarded, show } from '../ui.ts';
import { cartView } from '../views/cart.ts';

/** The order service's limits, as the buyer is told them. */
const MAX_QUANTITY = 100;
export const MAX_PRODUCTS = 20;

/** What a press is answered with: a short toast, or an alert the user has to dismiss. */
type Reply = { text: string; alert?: boolean } | undefined;

/**
 * `/cart`, the menu's Cart, Add to cart on a product card, and the cart screen's ➖ / ➕ / 🗑,
 * Clear and Checkout. The cart lives in the order service (it is the same in every front end);
 * the screen is one edited message, as browsing is.
 */
export function cartFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();

  /**
   * Runs `act` for the user and answers the press with its reply. No account is needed: the first
   * call signs the user in by their Telegram identity (sign-ins.ts).
   */
  const forUser = async (
    ctx: BotContext,
    retryData: string,
    act: (user: TelegramFrom, locale: string) => Promise<Reply>,
  ) => {
    const user = ctx.from;
    if (user === undefined) return;
    await guarded(ctx, retryData, async () => {
      const reply = await act(user, localeOf(ctx));
      await answer(ctx, reply?.text, reply?.alert ?? false);
    });
  };
  const withToken = <T>(user: TelegramFrom, call: (token: string) => Promise<T>) =>
    deps.signIns.withToken(user, call);
  const render = (ctx: BotContext, locale: string, cart: Cart) => show(ctx, cartView(ctx, locale, cart));

  const showCart = (ctx: BotContext) =>
    forUser(ctx, cartButton.build(), async (user, locale) => {
      await render(ctx, locale, await withToken(user, (token) => deps.orders.cart(token, locale)));
      return undefined;
    });
  feature.command('cart', showCart);
  onPress(feature, cartButton, showCart);

  onPress(feature, addToCartButton, (ctx, pressed) =>
    forUser(ctx, addToCartButton.build(pressed), async (user, locale) => {
      const cart = await withToken(user, (token) => deps.orders.cart(token, locale));
      const inCart = cart.items.find((line) => line.productId === pressed.product)?.quantity ?? 0;
      const wanted = inCart + pressed.quantity;
      if (wanted > MAX_QUANTITY)
        return { text: ctx.t('cart-line-limit', { max: MAX_QUANTITY, inCart }), alert: true };
      const product = await deps.catalog.product(pressed.product, locale);
      if (!product) return { text: ctx.t('product-gone'), alert: true };
      if (wanted > product.stock)
        return { text: ctx.t('cart-over-stock', { stock: product.stock, inCart }), alert: true };
      const refused = await withToken(user, (token) =>
        deps.orders.setCartQuantity(token, pressed.product, wanted, locale),
      ).then(
        () => undefined,
        (error: unknown) => refusal(ctx, error),
      );
      return (
        refused ?? {
          text: ctx.t('cart-added', { name: product.name, quantity: pressed.quantity, inCart: wanted }),
        }
      );
    }),
  );

  onPress(feature, cartQuantityButton, (ctx, pressed) =>
    forUser(ctx, cartQuantityButton.build(pressed), async (user, locale) => {
      if (pressed.quantity < 1) return { text: ctx.t('cart-use-remove') };
      if (pressed.quantity > MAX_QUANTITY)
        return { text: ctx.t('quantity-limit', { max: MAX_QUANTITY }), alert: true };
      const cart = await withToken(user, (token) => deps.orders.cart(token, locale));
      const line = cart.items.find((item) => item.productId === pressed.product);
      if (!line) {
        await render(ctx, locale, cart);
        return { text: ctx.t('button-inactive') };
      }
      if (pressed.quantity > line.quantity && pressed.quantity > line.stock) {
        await render(ctx, locale, cart);
        const text =
          line.stock < 1 ? ctx.t('product-out-of-stock') : ctx.t('quantity-max', { stock: line.stock });
        return { text, alert: true };
      }
      try {
        const next = await withToken(user, (token) =>
          deps.orders.setCartQuantity(token, pressed.product, pressed.quantity, locale),
        );
        await render(ctx, locale, next);
        return undefined;
      } catch (error) {
        const reply = refusal(ctx, error);
        await render(ctx, locale, await withToken(user, (token) => deps.orders.cart(token, locale)));
        return reply;
      }
    }),
  );

  onPress(feature, cartRemoveButton, (ctx, { product }) =>
    forUser(ctx, cartRemoveButton.build({ product }), async (user, locale) => {
      const cart = await withToken(user, (token) => deps.orders.cart(token, locale));
      // Only a line the cart has: a second tap, or a forged product the order service would refuse.
      if (!cart.items.some((line) => line.productId === product)) {
        await render(ctx, locale, cart);
        return { text: ctx.t('button-inactive') };
      }
      await render(
        ctx,
        locale,
        await withToken(user, (token) => deps.orders.removeFromCart(token, product, locale)),
      );
      return undefined;
    }),
  );

  onPress(feature, cartClearButton, (ctx) =>
    forUser(ctx, cartClearButton.build(), async (user, locale) => {
      await withToken(user, (token) => deps.orders.clearCart(token));
      await render(ctx, locale, { items: [], totalCents: 0, currency: null, delivery: null });
      return { text: ctx.t('cart-cleared') };
    }),
  );

  onPress(feature, cartCheckoutButton, (ctx) =>
    forUser(ctx, cartCheckoutButton.build(), async (user, locale) => {
      const cart = await withToken(user, (token) => deps.orders.cart(token, locale));
      if (cart.items.length === 0 || cart.items.some((line) => !line.available)) {
        await render(ctx, locale, cart);
        return { text: ctx.t(cart.items.length === 0 ? 'cart-empty' : 'cart-has-unavailable'), alert: true };
      }
      await ctx.conversation.enter('checkout', { from: 'cart' } satisfies CheckoutSource);
      return undefined;
    }),
  );

  return feature;
}

/** The buyer's words for the order service refusing a cart change; anything else is rethrown. */
function refusal(ctx: BotContext, error: unknown): Reply {
  if (!(error instanceof ServiceResponseError)) throw error;
  if (error.status === 404) return { text: ctx.t('product-gone'), alert: true };
  if (error.code === 'cart_full') return { text: ctx.t('cart-full', { max: MAX_PRODUCTS }), alert: true };
  throw error;
}
