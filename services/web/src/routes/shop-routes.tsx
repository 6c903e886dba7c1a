import { deliverySchema, STARS_CURRENCY, type Delivery, type ServiceApp } from '@shop/shared';
import type { Context } from 'hono';
import { ServiceAnswer } from '../clients/http.ts';
import type { Cart, OrderClient } from '../clients/order.ts';
import { CartPage, CheckoutPage } from '../pages/cart-pages.tsx';
import { MessagePage } from '../pages/message-page.tsx';
import { OrderPage, OrdersPage } from '../pages/order-pages.tsx';
import type { CurrentSession, Sessions } from '../session/sessions.ts';
import { texts } from '../texts.ts';
import { formOf, toSignIn } from './forms.ts';
import { pageLanguage } from '../language.ts';
import { frameOf, render } from './pages.tsx';
import { ownOrderOf } from './own-order.ts';
import { idOf } from './params.ts';

export interface ShopDeps {
  orders: OrderClient;
  sessions: Sessions;
  stylesheet: string;
}

/** Orders on one page of `/orders`. */
const ORDERS_PER_PAGE = 10;
const MAX_QUANTITY = 100;

const quantityOf = (raw: string): number | undefined =>
  /^\d{1,3}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= MAX_QUANTITY ? Number(raw) : undefined;

/** The order's or the cart's refusal (a 409) as a sentence, or undefined when it is not one. */
const refusalOf = (error: unknown, sentences: Record<string, string>): string | undefined =>
  error instanceof ServiceAnswer && error.code !== undefined && Object.hasOwn(sentences, error.code)
    ? sentences[error.code]
    : undefined;

/** A browser cannot pay Telegram Stars: its cart in them is ordered inside Telegram instead. */
const starsNeedTelegram = (session: CurrentSession | undefined, cart: Cart) =>
  session?.kind === 'browser' && cart.currency === STARS_CURRENCY;

/**
 * The buyer's cart (the bot's too: one cart per account at the order service), checkout and
 * orders. Every page needs a session: without one it sends the browser to sign in and back. An
 * order is placed from the session's channel: a Mini App's (`mini_app`, paid by a Telegram
 * invoice) or a browser's (`web`, paid by the web method).
 */
export function registerShopRoutes(app: ServiceApp, deps: ShopDeps): void {
  const { orders, sessions } = deps;

  const cartPage = async (c: Context, token: string, problem?: string) => {
    const frame = await frameOf(c, deps);
    const cart = await orders.cart(token, frame.lang);
    const stars = starsNeedTelegram(await sessions.current(c), cart);
    return render(
      c,
      <CartPage frame={frame} cart={cart} problem={problem} starsNeedTelegram={stars} />,
      problem ? 409 : 200,
    );
  };

  app.get('/cart', async (c) => {
    const token = await sessions.accessToken(c);
    if (token === undefined) return toSignIn(c, '/cart');
    return cartPage(c, token);
  });

  // op=add (the product page: adds to what is there), op=set (the cart: the new quantity), op=remove.
  app.post('/cart/items/:productId', async (c) => {
    const productId = idOf(c.req.param('productId'));
    if (productId === undefined) return c.notFound();
    const token = await sessions.accessToken(c);
    if (token === undefined) return toSignIn(c, `/products/${productId}`);
    const frame = await frameOf(c, deps);
    const field = await formOf(c);
    const op = field('op');
    const quantity = quantityOf(field('quantity'));
    try {
      if (op === 'remove') await orders.remove(token, productId, frame.lang);
      else if (quantity !== undefined && (op === 'set' || op === 'add')) {
        const had =
          op === 'add'
            ? ((await orders.cart(token, frame.lang)).items.find((line) => line.productId === productId)
                ?.quantity ?? 0)
            : 0;
        await orders.setQuantity(token, productId, Math.min(had + quantity, MAX_QUANTITY), frame.lang);
      }
    } catch (error) {
      const problem = refusalOf(error, texts[frame.lang].cartRefused);
      if (problem === undefined) throw error;
      return cartPage(c, token, problem);
    }
    return c.redirect('/cart', 303);
  });

  app.get('/checkout', async (c) => {
    const token = await sessions.accessToken(c);
    if (token === undefined) return toSignIn(c, '/checkout');
    const frame = await frameOf(c, deps);
    const cart = await orders.cart(token, frame.lang);
    if (cart.items.length === 0 || starsNeedTelegram(await sessions.current(c), cart))
      return c.redirect('/cart', 303);
    return render(
      c,
      <CheckoutPage
        frame={frame}
        cart={cart}
        delivery={cart.delivery ?? {}}
        idempotencyKey={crypto.randomUUID()}
      />,
    );
  });

  app.post('/checkout', async (c) => {
    const token = await sessions.accessToken(c);
    if (token === undefined) return toSignIn(c, '/checkout');
    const frame = await frameOf(c, deps);
    const t = texts[frame.lang];
    const field = await formOf(c);
    const typed: Partial<Delivery> = {
      name: field('name'),
      phone: field('phone'),
      address: field('address'),
    };
    const delivery = deliverySchema.safeParse(typed);
    const expectedTotalCents = Number(field('expectedTotalCents'));
    const idempotencyKey = field('idempotencyKey');
    const again = async (problem: string, status: 400 | 409) => {
      const cart = await orders.cart(token, frame.lang);
      // A refused order may be tried again with a new key; a form with bad details keeps its own.
      const key = status === 409 || !idempotencyKey ? crypto.randomUUID() : idempotencyKey;
      return render(
        c,
        <CheckoutPage frame={frame} cart={cart} delivery={typed} idempotencyKey={key} problem={problem} />,
        status,
      );
    };
    if (!delivery.success) return again(t.badDelivery, 400);
    if (!Number.isSafeInteger(expectedTotalCents) || !/^[\w-]{1,200}$/.test(idempotencyKey)) {
      // Not a form of ours: the buyer is shown the total to confirm afresh.
      return again(t.orderRefused.price_changed, 409);
    }
    try {
      const session = await sessions.current(c);
      const order = await orders.checkout(token, {
        delivery: delivery.data,
        expectedTotalCents,
        idempotencyKey,
        channel: session?.kind === 'mini_app' ? 'mini_app' : 'web',
      });
      return c.redirect(`/orders/${order.id}`, 303);
    } catch (error) {
      const problem = refusalOf(error, t.orderRefused);
      if (problem === undefined) throw error;
      return again(problem, 409);
    }
  });

  app.get('/orders', async (c) => {
    const token = await sessions.accessToken(c);
    if (token === undefined) return toSignIn(c, '/orders');
    const page = idOf(c.req.query('page') ?? '1') ?? 1;
    const list = await orders.orders(token, Math.min(page, 100_000), ORDERS_PER_PAGE);
    return render(c, <OrdersPage frame={await frameOf(c, deps)} orders={list} />);
  });

  const ownOrder = (token: string, raw: string) => ownOrderOf(orders, token, raw);

  app.get('/orders/:id', async (c) => {
    const token = await sessions.accessToken(c);
    if (token === undefined) return toSignIn(c, new URL(c.req.url).pathname);
    const frame = await frameOf(c, deps);
    const order = await ownOrder(token, c.req.param('id'));
    if (order === undefined) return render(c, <MessagePage frame={frame} message="notFound" />, 404);
    return render(c, <OrderPage frame={frame} order={order} />);
  });

  // The order page's script asks this for the status, in the page's language.
  app.get('/orders/:id/status', async (c) => {
    c.header('Cache-Control', 'no-store');
    const token = await sessions.accessToken(c);
    if (token === undefined) {
      return c.json({ error: { code: 'unauthorized', message: 'Sign in again to see this order' } }, 401);
    }
    const order = await ownOrder(token, c.req.param('id'));
    if (order === undefined) return c.json({ error: { code: 'not_found', message: 'No such order' } }, 404);
    const lang = pageLanguage(c);
    return c.json({ id: order.id, status: order.status, label: texts[lang].statuses[order.status] });
  });
}
