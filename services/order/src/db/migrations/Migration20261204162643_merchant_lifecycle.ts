import { Migration } from '@mikro-orm/migrations';

export class Migration20261204162643_merchant_lifecycle extends Migration {
  override name = 'Migration20261204162643_merchant_lifecycle';

  override up(): void | Promise<void> {
    this.addSql(`alter table "orders" drop constraint "orders_status_check";`);
    this.addSql(`alter table "orders" add "cancel_note" text null, add "tracking_note" text null;`);
    this.addSql(`create index "orders_created_at_index" on "orders" ("created_at");`);
    this.addSql(`create index "orders_status_created_at_index" on "orders" ("status", "created_at");`);
    this.addSql(
      `alter table "orders" add constraint "orders_status_check" check ("status" in ('pending', 'awaiting_payment', 'paid', 'shipped', 'delivered', 'cancelled', 'payment_failed'));`,
    );

    this.addSql(`alter table "order_status_history" drop constraint "order_status_history_status_check";`);
    this.addSql(
      `alter table "order_status_history" add constraint "order_status_history_status_check" check ("status" in ('pending', 'awaiting_payment', 'paid', 'shipped', 'delivered', 'cancelled', 'payment_failed'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "order_status_history" drop constraint "order_status_history_status_check";`);
    this.addSql(
      `alter table "order_status_history" add constraint "order_status_history_status_check" check ("status" in ('pending', 'awaiting_payment', 'paid', 'cancelled', 'payment_failed'));`,
    );

    this.addSql(`drop index "orders_created_at_index";`);
    this.addSql(`drop index "orders_status_created_at_index";`);
    this.addSql(`alter table "orders" drop constraint "orders_status_check";`);
    this.addSql(`alter table "orders" drop column "cancel_note", drop column "tracking_note";`);
    this.addSql(
      `alter table "orders" add constraint "orders_status_check" check ("status" in ('pending', 'awaiting_payment', 'paid', 'cancelled', 'payment_failed'));`,
    );
  }
}
