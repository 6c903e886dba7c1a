import { Migration } from '@mikro-orm/migrations';

export class Migration20261203135903_refunds extends Migration {
  override name = 'Migration20261203135903_refunds';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "order_cancellations" ("order_id" bigint not null, "user_id" uuid not null, "reason" text not null, "cancelled_at" timestamptz not null default now(), primary key ("order_id"));`,
    );

    this.addSql(`alter table "payments" drop constraint "payments_status_check";`);
    this.addSql(`alter table "payments" add "refunded_at" timestamptz null;`);
    this.addSql(
      `alter table "payments" add constraint "payments_status_check" check ("status" in ('succeeded', 'failed', 'refunded', 'refund_pending'));`,
    );

    this.addSql(
      `alter table "order_cancellations" add constraint "order_cancellations_reason_check" check ("reason" in ('out_of_stock', 'expired', 'buyer', 'merchant'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "order_cancellations" cascade;`);

    this.addSql(`alter table "payments" drop constraint "payments_status_check";`);
    this.addSql(`alter table "payments" drop column "refunded_at";`);
    this.addSql(
      `alter table "payments" add constraint "payments_status_check" check ("status" in ('succeeded', 'failed'));`,
    );
  }
}
