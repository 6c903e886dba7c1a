import { Migration } from '@mikro-orm/migrations';

/**
 * A payment may name no order: money Telegram took for an invoice payload that is not one of ours,
 * recorded to be given back. The partial unique indexes on `order_id` keep their meaning (nulls
 * never conflict): at most one kept payment per order, one own charge per order.
 */
export class Migration20261204204500_payments_without_order extends Migration {
  override name = 'Migration20261204204500_payments_without_order';

  override up(): void | Promise<void> {
    this.addSql(`alter table "payments" alter column "order_id" drop not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "payments" where "order_id" is null;`);
    this.addSql(`alter table "payments" alter column "order_id" set not null;`);
  }
}
