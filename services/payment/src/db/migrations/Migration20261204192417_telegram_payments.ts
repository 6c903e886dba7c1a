import { Migration } from '@mikro-orm/migrations';

export class Migration20261204192417_telegram_payments extends Migration {
  override name = 'Migration20261204192417_telegram_payments';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "invoices" ("order_id" bigint not null, "user_id" uuid not null, "method" text not null, "amount_cents" int not null, "currency" char(3) not null, "items" jsonb not null, "correlation_id" varchar(200) not null, "created_at" timestamptz not null, primary key ("order_id"));`,
    );

    this.addSql(`alter table "payments" drop constraint "payments_order_id_unique";`);
    this.addSql(`alter table "payments" drop constraint "payments_method_check";`);
    this.addSql(
      `alter table "payments" add "telegram_payment_charge_id" varchar(255) null, add "provider_payment_charge_id" varchar(255) null, add "telegram_user_id" bigint null, add "refund_reason" text null, add "refund_attempts" int not null default 0, add "refund_next_at" timestamptz null, add "refund_error" text null;`,
    );
    this.addSql(
      `alter table "payments" add constraint "payments_telegram_payment_charge_id_unique" unique ("telegram_payment_charge_id");`,
    );
    this.addSql(`create index "payments_order_id_idx" on "payments" ("order_id");`);
    this.addSql(
      `create index "payments_star_refunds_idx" on "payments" ("refund_next_at") where status = 'refund_pending' and method = 'stars';`,
    );
    this.addSql(`create index "payments_status_created_idx" on "payments" ("status", "created_at");`);
    this.addSql(
      `create unique index "payments_order_charge_unique" on "payments" ("order_id") where telegram_payment_charge_id is null;`,
    );
    this.addSql(
      `create unique index "payments_order_kept_unique" on "payments" ("order_id") where status = 'succeeded';`,
    );
    this.addSql(
      `alter table "payments" add constraint "payments_refund_reason_check" check ("refund_reason" in ('order_cancelled', 'order_expired', 'already_paid', 'not_payable'));`,
    );
    this.addSql(
      `alter table "payments" add constraint "payments_method_check" check ("method" in ('simulated', 'telegram', 'stars'));`,
    );

    this.addSql(
      `alter table "invoices" add constraint "invoices_method_check" check ("method" in ('telegram', 'stars'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "invoices" cascade;`);

    this.addSql(`alter table "payments" drop constraint "payments_telegram_payment_charge_id_unique";`);
    this.addSql(`drop index "payments_order_id_idx";`);
    this.addSql(`drop index "payments_star_refunds_idx";`);
    this.addSql(`drop index "payments_status_created_idx";`);
    this.addSql(`drop index "payments_order_charge_unique";`);
    this.addSql(`drop index "payments_order_kept_unique";`);
    this.addSql(`alter table "payments" drop constraint "payments_refund_reason_check";`);
    this.addSql(`alter table "payments" drop constraint "payments_method_check";`);
    this.addSql(
      `alter table "payments" drop column "telegram_payment_charge_id", drop column "provider_payment_charge_id", drop column "telegram_user_id", drop column "refund_reason", drop column "refund_attempts", drop column "refund_next_at", drop column "refund_error";`,
    );
    this.addSql(`alter table "payments" add constraint "payments_order_id_unique" unique ("order_id");`);
    this.addSql(
      `alter table "payments" add constraint "payments_method_check" check ("method" in ('simulated'));`,
    );
  }
}
