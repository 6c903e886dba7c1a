import { Migration } from '@mikro-orm/migrations';

export class Migration20261212120000_invoices extends Migration {
  override name = 'Migration20261212120000_invoices';

  override up(): void | Promise<void> {
    this.addSql(`alter table "admin_alerts" drop constraint "admin_alerts_kind_check";`);
    this.addSql(
      `alter table "admin_alerts" add constraint "admin_alerts_kind_check" check ("kind" in ('order.paid', 'payment.failed', 'order.out_of_stock', 'stock.low', 'payment.refund_pending'));`,
    );

    this.addSql(`alter table "notifications" drop constraint "notifications_order_kind_unique";`);
    this.addSql(`alter table "notifications" drop constraint "notifications_kind_check";`);
    this.addSql(
      `alter table "notifications" add "method" text null, add "invoice_payload" varchar(128) null, add "amount_cents" bigint null, add "amount_currency" varchar(3) null;`,
    );
    this.addSql(
      `create unique index "notifications_order_kind_payment_unique" on "notifications" ("order_id", "kind", "payment_id") nulls not distinct;`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_method_check" check ("method" in ('simulated', 'telegram', 'stars'));`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_kind_check" check ("kind" in ('order.paid', 'order.shipped', 'order.delivered', 'order.cancelled', 'payment.failed', 'payment.refunded', 'payment.succeeded', 'payment.requested', 'payment.refund_pending'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "admin_alerts" drop constraint "admin_alerts_kind_check";`);
    this.addSql(
      `alter table "admin_alerts" add constraint "admin_alerts_kind_check" check ("kind" in ('order.paid', 'payment.failed', 'order.out_of_stock', 'stock.low'));`,
    );

    this.addSql(`drop index "notifications_order_kind_payment_unique";`);
    this.addSql(`alter table "notifications" drop constraint "notifications_method_check";`);
    this.addSql(`alter table "notifications" drop constraint "notifications_kind_check";`);
    this.addSql(
      `alter table "notifications" drop column "method", drop column "invoice_payload", drop column "amount_cents", drop column "amount_currency";`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_order_kind_unique" unique ("order_id", "kind");`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_kind_check" check ("kind" in ('order.paid', 'order.shipped', 'order.delivered', 'order.cancelled', 'payment.failed', 'payment.refunded', 'payment.succeeded'));`,
    );
  }
}
