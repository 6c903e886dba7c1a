import { Migration } from '@mikro-orm/migrations';

export class Migration20261203141046_order_changes extends Migration {
  override name = 'Migration20261203141046_order_changes';

  override up(): void | Promise<void> {
    this.addSql(`alter table "notifications" drop constraint "notifications_kind_check";`);
    this.addSql(`alter table "notifications" add "shortages" jsonb null;`);
    this.addSql(`alter table "notifications" alter column "payment_id" drop not null;`);
    this.addSql(
      `alter table "notifications" add constraint "notifications_kind_check" check ("kind" in ('order.paid', 'order.cancelled', 'payment.failed', 'payment.refunded', 'payment.succeeded'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "notifications" drop constraint "notifications_kind_check";`);
    this.addSql(`alter table "notifications" drop column "shortages";`);
    this.addSql(`alter table "notifications" alter column "payment_id" set not null;`);
    this.addSql(
      `alter table "notifications" add constraint "notifications_kind_check" check ("kind" in ('payment.succeeded', 'payment.failed'));`,
    );
  }
}
