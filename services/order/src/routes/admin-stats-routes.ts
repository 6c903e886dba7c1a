import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, jsonResponse, requireRole, type Authenticator, type ServiceApp } from '@shop/shared';
import type { OrderDeps } from '../deps.ts';
import { orderStatuses } from '../domain/order-status.ts';
import { statsPeriods } from '../domain/stats-periods.ts';
import { orderStats } from '../store/order-stats.ts';

const count = z.number().int().min(0);
const moneySchema = z.object({ currency: z.string(), totalCents: count });

const periodSchema = z
  .object({
    since: z.iso.datetime().openapi({ description: 'The midnight the period starts at; it ends with today' }),
    orders: count.openapi({ description: 'Orders placed in the period, whatever became of them' }),
    byStatus: z.object(Object.fromEntries(orderStatuses.map((status) => [status, count]))).openapi({
      description: 'Those orders by the status they are in now',
    }),
    paidOrders: count.openapi({ description: 'Those paid and not refunded: paid, shipped or delivered' }),
    revenue: z.array(moneySchema).openapi({ description: 'Their totals, one sum per currency' }),
    buyers: count.openapi({ description: 'Accounts with a paid order placed in the period' }),
    newBuyers: count.openapi({
      description: 'Of those, the accounts whose first paid order is in the period',
    }),
  })
  .openapi('PeriodStats');

const productSalesSchema = z
  .object({
    productId: z.number().int(),
    name: z.string().openapi({ description: 'As the latest of its paid orders named it' }),
    currency: z.string(),
    units: count,
    revenueCents: count,
  })
  .openapi('ProductSales');

export const orderStatsSchema = z
  .object({
    timeZone: z.string().openapi({ description: 'The time zone of the days counted', example: 'UTC' }),
    asOf: z.iso.datetime(),
    periods: z.object(Object.fromEntries(statsPeriods.map((period) => [period, periodSchema]))),
    topProducts: z.object({
      since: z.iso.datetime(),
      byUnits: z.array(productSalesSchema),
      byRevenue: z.array(productSalesSchema).openapi({ description: 'Ranked within each currency' }),
    }),
  })
  .openapi('OrderStats');

const statsRoute = createRoute({
  method: 'get',
  path: '/admin/stats',
  tags: ['orders admin'],
  security: [{ bearer: [] }],
  description:
    'The shop in figures, from the orders: today and the last 7 and 30 days (whole days in UTC, by when an order was placed, today included), orders by status, revenue of the paid ones (paid, shipped, delivered) per currency, buyers and new buyers; the 5 products of the last 30 days with the most units sold, and with the most revenue in each currency.',
  responses: { 200: jsonResponse(orderStatsSchema, 'The figures'), ...errorResponses(401, 403) },
});

/** `GET /admin/stats`: admins only (403 otherwise). */
export function registerAdminStatsRoutes(
  app: ServiceApp,
  deps: OrderDeps,
  authenticated: Authenticator,
): void {
  app.openapi({ ...statsRoute, middleware: [authenticated, requireRole('admin')] }, async (c) =>
    c.json(await orderStats(deps.em, deps.now()), 200),
  );
}
