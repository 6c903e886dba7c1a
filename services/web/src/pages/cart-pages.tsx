import { formatMoney, type Delivery, type Language } from '@shop/shared';
import type { Cart } from '../clients/order.ts';
import { texts } from '../texts.ts';
import { Layout, type PageFrame } from './layout.tsx';

/** The cart's most a line may hold (order's limit). */
const MAX_QUANTITY = 100;

const Problem = ({ text }: { text: string | undefined }) =>
  text ? (
    <p class="problem" role="alert">
      {text}
    </p>
  ) : null;

const CartTotal = ({ cart, lang }: { cart: Cart; lang: Language }) =>
  cart.currency === null ? null : (
    <p class="total">
      {texts[lang].total}: <strong>{formatMoney(cart.totalCents, cart.currency, lang)}</strong>
    </p>
  );

export interface CartPageProps {
  frame: PageFrame;
  cart: Cart;
  problem?: string;
  /** A browser's cart priced in Telegram Stars: no checkout here, but where it can be ordered. */
  starsNeedTelegram?: boolean;
}

/**
 * `/cart`: each line with its quantity (a form to change it, one to remove it), the total,
 * checkout (Telegram's Main Button in a Mini App); or, for a browser's cart in Telegram Stars,
 * where it can be ordered instead.
 */
export function CartPage({ frame, cart, problem, starsNeedTelegram }: CartPageProps) {
  const t = texts[frame.lang];
  const total = cart.currency === null ? '' : formatMoney(cart.totalCents, cart.currency, frame.lang);
  return (
    <Layout {...frame} title={t.cart} back="/">
      <h1>{t.cart}</h1>
      <Problem text={problem} />
      {cart.items.length === 0 ? (
        <p class="empty">{t.cartEmpty}</p>
      ) : (
        <>
          <ul class="lines">
            {cart.items.map((line) => (
              <li class={line.available ? 'line' : 'line unavailable'}>
                <a href={`/products/${line.productId}`}>{line.name}</a>
                {line.unitPriceCents !== null && line.currency !== null && (
                  <span class="price">{formatMoney(line.unitPriceCents, line.currency, frame.lang)}</span>
                )}
                {!line.available && <span class="stock out">{t.unavailableLine}</span>}
                <form class="row" method="post" action={`/cart/items/${line.productId}`}>
                  <input type="hidden" name="op" value="set" />
                  <label>
                    {t.quantity}{' '}
                    <input
                      type="number"
                      name="quantity"
                      value={String(line.quantity)}
                      min={1}
                      max={MAX_QUANTITY}
                      required
                    />
                  </label>
                  <button type="submit">{t.update}</button>
                </form>
                <form method="post" action={`/cart/items/${line.productId}`}>
                  <input type="hidden" name="op" value="remove" />
                  <button type="submit" class="secondary">
                    {t.remove}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <CartTotal cart={cart} lang={frame.lang} />
          {starsNeedTelegram ? (
            <p class="notice" role="note">
              {t.starsNeedTelegram}
            </p>
          ) : (
            <p>
              <a class="button" href="/checkout" data-main-button={t.checkoutFor(total)}>
                {t.toCheckout}
              </a>
            </p>
          )}
        </>
      )}
    </Layout>
  );
}

export interface CheckoutPageProps {
  frame: PageFrame;
  cart: Cart;
  /** What the form shows: what the buyer typed, else what the shop remembered. */
  delivery: Partial<Delivery>;
  /** One per rendering of the form: submitting it twice makes one order. */
  idempotencyKey: string;
  problem?: string;
}

/** `/checkout`: the lines and total being confirmed, the delivery details, and the confirm button. */
export function CheckoutPage({ frame, cart, delivery, idempotencyKey, problem }: CheckoutPageProps) {
  const t = texts[frame.lang];
  const total = cart.currency === null ? '' : formatMoney(cart.totalCents, cart.currency, frame.lang);
  return (
    <Layout {...frame} title={t.checkout} back="/cart">
      <h1>{t.checkout}</h1>
      <Problem text={problem} />
      <ul class="lines">
        {cart.items.map((line) => (
          <li class={line.available ? 'line' : 'line unavailable'}>
            <span>
              {line.name} × {line.quantity}
            </span>
            {!line.available && <span class="stock out">{t.unavailableLine}</span>}
          </li>
        ))}
      </ul>
      <CartTotal cart={cart} lang={frame.lang} />
      <form class="stack" method="post" action="/checkout">
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <input type="hidden" name="expectedTotalCents" value={String(cart.totalCents)} />
        <fieldset>
          <legend>{t.deliveryDetails}</legend>
          <label>
            {t.name}
            <input name="name" value={delivery.name ?? ''} autocomplete="name" required maxlength={100} />
          </label>
          <label>
            {t.phone}
            <input
              type="tel"
              name="phone"
              value={delivery.phone ?? ''}
              autocomplete="tel"
              required
              maxlength={40}
            />
          </label>
          <label>
            {t.address}
            <textarea name="address" autocomplete="street-address" required maxlength={500}>
              {delivery.address ?? ''}
            </textarea>
          </label>
        </fieldset>
        <button type="submit" data-main-button={t.confirm(total)}>
          {t.confirm(total)}
        </button>
      </form>
    </Layout>
  );
}
