import { Migration } from '@mikro-orm/migrations';

/** A refund of money taken for no order of the shop is told to the buyer with no order. */
export class Migration20261213120000_orderless_refunds extends Migration {
  override name = 'Migration20261213120000_orderless_refunds';

  override up(): void | Promise<void> {
    this.addSql(`alter table "notifications" alter column "order_id" drop not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "notifications" where "order_id" is null;`);
    this.addSql(`alter table "notifications" alter column "order_id" set not null;`);
  }
}
