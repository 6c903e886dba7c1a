import { Migration } from '@mikro-orm/migrations';

export class Migration20261204163248_merchant_news extends Migration {
  override name = 'Migration20261204163248_merchant_news';

  override up(): void | Promise<void> {
    this.addSql(`alter table "notifications" drop constraint "notifications_kind_check";`);
    this.addSql(
      `alter table "notifications" add "note" text null, add "was_paid" boolean not null default false;`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_kind_check" check ("kind" in ('order.paid', 'order.shipped', 'order.delivered', 'order.cancelled', 'payment.failed', 'payment.refunded', 'payment.succeeded'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "notifications" drop constraint "notifications_kind_check";`);
    this.addSql(`alter table "notifications" drop column "note", drop column "was_paid";`);
    this.addSql(
      `alter table "notifications" add constraint "notifications_kind_check" check ("kind" in ('order.paid', 'order.cancelled', 'payment.failed', 'payment.refunded', 'payment.succeeded'));`,
    );
  }
}
