import { deliverySchema, type Delivery, type ServiceApp } from '@shop/shared';
import { ServiceAnswer } from '../clients/http.ts';
import type { OrderClient } from '../clients/order.ts';
import { CartPage, CheckoutPage } from '../pages/cart-pages.tsx';
import { MessagePage } from '../pages/message-page.tsx';
import { OrderPage, OrdersPage } from '../pages/order-pages.tsx';
import type { Sessions } from '../session/sessions.ts';
import { texts } from '../texts.ts';
import { formOf, toSignIn } from './forms.ts';
import { frameOf, render } from './pages.tsx';
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

/**
 * The buyer's cart (the bot's too: one cart per account at the order service), checkout and
 * orders. Every page needs a session: without one it sends the browser to sign in and back.
 */
export function registerShopRoutes(app: ServiceApp, deps: ShopDeps): void {
  const { orders, sessions } = deps;

  app.get('/cart', async (c) => {
    const token = await sessions.accessToken(c);
    if (token === undefined) return toSignIn(c, '/cart');
    const frame = frameOf(c, deps.stylesheet);
    return render(c, <CartPage frame={frame} cart={await orders.cart(token, frame.lang)} />);
  });

  // op=add (the product page: adds to what is there), op=set (the cart: the new quantity), op=remove.
  app.post('/cart/items/:productId', async (c) => {
    const productId = idOf(c.req.param('productId'));
    if (productId === undefined) return c.notFound();
    const token = await sessions.accessToken(c);
    if (token === undefined) return toSignIn(c, `/products/${productId}`);
    const frame = frameOf(c, deps.stylesheet);
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
      const cart = await orders.cart(token, frame.lang);
      return render(c, <CartPage frame={frame} cart={cart} problem={problem} />, 409);
    }
    return c.redirect('/cart', 303);
  });

  app.get('/checkout', async (c) => {
    const token = await sessions.accessToken(c);
    if (token === undefined) return toSignIn(c, '/checkout');
    const frame = frameOf(c, deps.stylesheet);
    const cart = await orders.cart(token, frame.lang);
    if (cart.items.length === 0) return c.redirect('/cart', 303);
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
    const frame = frameOf(c, deps.stylesheet);
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
      const order = await orders.checkout(token, {
        delivery: delivery.data,
        expectedTotalCents,
        idempotencyKey,
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
    return render(c, <OrdersPage frame={frameOf(c, deps.stylesheet)} orders={list} />);
  });

  /** One of the buyer's orders; undefined for none, or someone else's (both are 404 to them). */
  const ownOrder = async (token: string, raw: string) => {
    const id = idOf(raw);
    if (id === undefined) return undefined;
    try {
      return await orders.order(token, id);
    } catch (error) {
      if (error instanceof ServiceAnswer && error.status === 404) return undefined;
      throw error;
    }
  };

  app.get('/orders/:id', async (c) => {
    const token = await sessions.accessToken(c);
    if (token === undefined) return toSignIn(c, new URL(c.req.url).pathname);
    const frame = frameOf(c, deps.stylesheet);
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
    const lang = frameOf(c, deps.stylesheet).lang;
    return c.json({ id: order.id, status: order.status, label: texts[lang].statuses[order.status] });
  });
}
