import { formatMoney, type Language } from '@shop/shared';
import type { Order, OrderPage as OrderList } from '../clients/order.ts';
import { texts } from '../texts.ts';
import { Layout, type PageFrame } from './layout.tsx';

/** The script that keeps an order page's status live (public/order-status.js). */
export const ORDER_STATUS_SCRIPT = '/assets/order-status.js';

const dateOf = (iso: string, lang: Language) =>
  new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(iso));

const Status = ({ order, lang, live }: { order: Order; lang: Language; live?: boolean }) => (
  <span
    class={`status status-${order.status}`}
    data-status={order.status}
    data-poll={live ? `/orders/${order.id}/status` : undefined}
    aria-live={live ? 'polite' : undefined}
  >
    {texts[lang].statuses[order.status]}
  </span>
);

/** `/orders`: the buyer's orders, newest first, a page at a time. */
export function OrdersPage({ frame, orders }: { frame: PageFrame; orders: OrderList }) {
  const t = texts[frame.lang];
  const pages = Math.max(1, Math.ceil(orders.total / orders.limit));
  return (
    <Layout {...frame} title={t.orders} back="/">
      <h1>{t.orders}</h1>
      {orders.items.length === 0 ? (
        <p class="empty">{t.noOrders}</p>
      ) : (
        <ul class="lines">
          {orders.items.map((order) => (
            <li class="line">
              <a href={`/orders/${order.id}`}>{t.order(order.id)}</a>
              <span class="price">{formatMoney(order.totalCents, order.currency, frame.lang)}</span>
              <Status order={order} lang={frame.lang} />
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav class="pages" aria-label={t.pages}>
          {orders.page > 1 && (
            <a rel="prev" href={`/orders?page=${orders.page - 1}`}>
              {t.previous}
            </a>
          )}
          <span>{t.pageOf(orders.page, pages)}</span>
          {orders.page < pages && (
            <a rel="next" href={`/orders?page=${orders.page + 1}`}>
              {t.next}
            </a>
          )}
        </nav>
      )}
    </Layout>
  );
}

/** Whether the order is paid by a Telegram invoice that a Mini App can open: placed in Telegram, not paid yet. */
const payableInMiniApp = (frame: PageFrame, order: Order) =>
  frame.miniApp !== undefined &&
  order.channel !== 'web' &&
  (order.status === 'pending' || order.status === 'awaiting_payment');

/**
 * The Mini App's Pay (Telegram's Main Button): the bridge asks `data-pay` for the invoice's slug
 * and opens it (`openInvoice`), then says what became of it in the buyer's language (`data-text-*`).
 * Usable once the order awaits payment; gone once it no longer can be paid.
 */
function Pay({ order, frame, total }: { order: Order; frame: PageFrame; total: string }) {
  const t = texts[frame.lang];
  return (
    <div
      class="pay"
      data-pay={`/orders/${order.id}/invoice`}
      data-text-paid={t.payPaid}
      data-text-pending={t.payPending}
      data-text-cancelled={t.payCancelled}
      data-text-failed={t.payFailed}
      data-text-unavailable={t.payUnavailable}
      data-text-close={t.backToChat}
    >
      <button type="button" data-main-button={t.pay(total)} disabled={order.status !== 'awaiting_payment'}>
        {t.pay(total)}
      </button>
      <p class="muted" role="status" data-pay-outcome hidden />
    </div>
  );
}

/**
 * `/orders/:id`: one order with its lines, delivery and a status that changes as it does; in a
 * Mini App, Pay while it awaits payment by a Telegram invoice.
 */
export function OrderPage({ frame, order }: { frame: PageFrame; order: Order }) {
  const t = texts[frame.lang];
  const money = (cents: number) => formatMoney(cents, order.currency, frame.lang);
  return (
    <Layout {...frame} title={t.order(order.id)} script={ORDER_STATUS_SCRIPT} back="/orders">
      <h1>{t.order(order.id)}</h1>
      <p>
        {t.status}: <Status order={order} lang={frame.lang} live />
      </p>
      <p class="muted">{t.placedAt(dateOf(order.createdAt, frame.lang))}</p>
      <ul class="lines">
        {order.items.map((item) => (
          <li class="line">
            <a href={`/products/${item.productId}`}>{item.name}</a>
            <span>
              {item.quantity} × {money(item.unitPriceCents)}
            </span>
          </li>
        ))}
      </ul>
      <p class="total">
        {t.total}: <strong>{money(order.totalCents)}</strong>
      </p>
      {payableInMiniApp(frame, order) && <Pay order={order} frame={frame} total={money(order.totalCents)} />}
      {order.delivery && (
        <section>
          <h2>{t.deliveryDetails}</h2>
          <p class="description">
            {order.delivery.name}
            {'\n'}
            {order.delivery.phone}
            {'\n'}
            {order.delivery.address}
          </p>
        </section>
      )}
      {order.trackingNote && (
        <p>
          {t.trackingNote}: {order.trackingNote}
        </p>
      )}
    </Layout>
  );
}
