import type { ServiceEntityManager } from '@shop/shared';
import { orderStatuses, PAID_STATUSES, type OrderStatus } from '../domain/order-status.ts';
import {
  STATS_TIME_ZONE,
  statsWindows,
  type StatsPeriod,
  type StatsWindow,
} from '../domain/stats-periods.ts';

/** How many products each top list names. */
export const TOP_PRODUCTS = 5;

export interface Money {
  currency: string;
  totalCents: number;
}

export interface PeriodStats {
  since: string;
  /** Orders placed in the period, whatever became of them. */
  orders: number;
  /** Those orders by the status they are in now. */
  byStatus: Record<OrderStatus, number>;
  /** Those whose money was taken and kept (paid, shipped, delivered): refunded ones are not. */
  paidOrders: number;
  /** Their totals, one sum per currency. */
  revenue: Money[];
  /** Accounts with a paid order placed in the period. */
  buyers: number;
  /** Of those, the accounts whose first paid order ever is in the period. */
  newBuyers: number;
}

export interface ProductSales {
  productId: number;
  /** As the latest of its paid orders named it. */
  name: string;
  currency: string;
  units: number;
  revenueCents: number;
}

export interface OrderStats {
  timeZone: string;
  asOf: string;
  periods: Record<StatsPeriod, PeriodStats>;
  /** Paid orders of the last 30 days: the most units sold, and the most revenue in each currency. */
  topProducts: { since: string; byUnits: ProductSales[]; byRevenue: ProductSales[] };
}

// Each query counts in every period at once: a row of (period, since, until) per window.
const windowRow = '(?, cast(? as timestamptz), cast(? as timestamptz))';
const windowValues = (windows: StatsWindow[]) => ({
  sql: `(values ${windows.map(() => windowRow).join(', ')}) as w(period, since, until)`,
  params: windows.flatMap((w) => [w.period, w.since.toISOString(), w.until.toISOString()]),
});

/**
 * The shop's figures at `now`, from the order service's own tables: orders and revenue today and
 * in the last 7 and 30 days (whole days in STATS_TIME_ZONE, by when the order was placed), how
 * many are in each status, buyers and new buyers, and the top products of the last 30 days. One
 * snapshot: every figure counts the same orders.
 */
export function orderStats(root: ServiceEntityManager, now: Date): Promise<OrderStats> {
  const windows = statsWindows(now);
  return root.fork().transactional(
    async (em) => {
      const periods = await periodFigures(em, Object.values(windows));
      const month = windows.last30Days;
      return {
        timeZone: STATS_TIME_ZONE,
        asOf: now.toISOString(),
        periods,
        topProducts: { since: month.since.toISOString(), ...(await topProducts(em, month)) },
      };
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}

async function periodFigures(em: ServiceEntityManager, windows: StatsWindow[]) {
  const w = windowValues(windows);
  const counts = await em.execute<
    { period: StatsPeriod; status: OrderStatus; currency: string; orders: number; total_cents: string }[]
  >(
    `select w.period, o.status, o.currency, count(*)::int as orders, sum(o.total_cents)::bigint as total_cents
       from ${w.sql} join orders o on o.created_at >= w.since and o.created_at < w.until
      group by w.period, o.status, o.currency`,
    w.params,
  );
  const buyers = await em.execute<{ period: StatsPeriod; buyers: number; new_buyers: number }[]>(
    `with firsts as (
       select user_id, min(created_at) as first_at from orders where status in (?) group by user_id)
     select w.period,
       (select count(distinct o.user_id)::int from orders o
         where o.status in (?) and o.created_at >= w.since and o.created_at < w.until) as buyers,
       (select count(*)::int from firsts f where f.first_at >= w.since and f.first_at < w.until) as new_buyers
     from ${w.sql}`,
    [PAID_STATUSES, PAID_STATUSES, ...w.params],
  );
  const periods = {} as Record<StatsPeriod, PeriodStats>;
  for (const window of windows) {
    const rows = counts.filter((row) => row.period === window.period);
    const paid = rows.filter((row) => PAID_STATUSES.includes(row.status));
    const revenue = new Map<string, number>();
    for (const row of paid)
      revenue.set(row.currency, (revenue.get(row.currency) ?? 0) + Number(row.total_cents));
    const people = buyers.find((row) => row.period === window.period);
    periods[window.period] = {
      since: window.since.toISOString(),
      orders: sum(rows.map((row) => row.orders)),
      byStatus: Object.fromEntries(
        orderStatuses.map((status) => [
          status,
          sum(rows.filter((row) => row.status === status).map((row) => row.orders)),
        ]),
      ) as Record<OrderStatus, number>,
      paidOrders: sum(paid.map((row) => row.orders)),
      revenue: [...revenue]
        .map(([currency, totalCents]) => ({ currency, totalCents }))
        .sort((a, b) => a.currency.localeCompare(b.currency)),
      buyers: people?.buyers ?? 0,
      newBuyers: people?.new_buyers ?? 0,
    };
  }
  return periods;
}

async function topProducts(em: ServiceEntityManager, window: StatsWindow) {
  const rows = await em.execute<
    {
      product_id: number;
      name: string;
      currency: string;
      units: number;
      revenue_cents: string;
      by_units: string;
      by_revenue: string;
    }[]
  >(
    `with sold as (
       select i.product_id, o.currency, sum(i.quantity)::int as units,
              sum(i.quantity::bigint * i.unit_price_cents)::bigint as revenue_cents,
              (array_agg(i.name order by o.created_at desc, i.id desc))[1] as name
         from order_items i join orders o on o.id = i.order_id
        where o.status in (?) and o.created_at >= ? and o.created_at < ?
        group by i.product_id, o.currency),
     ranked as (
       select sold.*,
              row_number() over (order by units desc, revenue_cents desc, product_id) as by_units,
              row_number() over (partition by currency order by revenue_cents desc, units desc, product_id) as by_revenue
         from sold)
     select * from ranked where by_units <= ? or by_revenue <= ?`,
    [PAID_STATUSES, window.since.toISOString(), window.until.toISOString(), TOP_PRODUCTS, TOP_PRODUCTS],
  );
  const sales = (row: (typeof rows)[number]): ProductSales => ({
    productId: row.product_id,
    name: row.name,
    currency: row.currency,
    units: row.units,
    revenueCents: Number(row.revenue_cents),
  });
  const top = (key: 'by_units' | 'by_revenue') =>
    rows
      .filter((row) => Number(row[key]) <= TOP_PRODUCTS)
      .sort((a, b) => Number(a[key]) - Number(b[key]))
      .map(sales);
  // Revenue is ranked within each currency: amounts of two currencies do not compare.
  const byRevenue = top('by_revenue').sort((a, b) => a.currency.localeCompare(b.currency));
  return { byUnits: top('by_units'), byRevenue };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
