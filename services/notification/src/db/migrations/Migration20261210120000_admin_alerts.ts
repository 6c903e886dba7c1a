import { Migration } from '@mikro-orm/migrations';

export class Migration20261210120000_admin_alerts extends Migration {
  override name = 'Migration20261210120000_admin_alerts';

  override up(): void | Promise<void> {
    this.addSql(`alter table "recipients" add "first_name" varchar(128) null;`);
    this.addSql(
      `create table "admin_grants" ("user_id" uuid not null, "granted" boolean not null, "changed_at" timestamptz not null, primary key ("user_id"));`,
    );
    this.addSql(
      `create table "configured_admins" ("id" smallint not null, "telegram_ids" bigint[] not null, "configured_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create table "admin_alerts" ("alert_key" varchar(100) not null, "chat_id" bigint not null, "admin_user_id" uuid not null, "language_code" varchar(35) null, "kind" text not null, "buyer_user_id" uuid null, "payload" jsonb not null, "status" text not null default 'pending', "attempts" int not null default 0, "claimed_at" timestamptz null, "telegram_message_id" bigint null, "last_error" text null, "sent_at" timestamptz null, "created_at" timestamptz not null default now(), primary key ("alert_key", "chat_id"));`,
    );
    this.addSql(
      `create index "admin_alerts_due_idx" on "admin_alerts" ("created_at") where "status" = 'pending';`,
    );
    this.addSql(
      `create index "admin_alerts_sending_idx" on "admin_alerts" ("claimed_at") where "status" = 'sending';`,
    );
    this.addSql(
      `alter table "admin_alerts" add constraint "admin_alerts_kind_check" check ("kind" in ('order.paid', 'payment.failed', 'order.out_of_stock', 'stock.low'));`,
    );
    this.addSql(
      `alter table "admin_alerts" add constraint "admin_alerts_status_check" check ("status" in ('pending', 'sending', 'sent', 'skipped', 'failed'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "admin_alerts" cascade;`);
    this.addSql(`drop table if exists "configured_admins" cascade;`);
    this.addSql(`drop table if exists "admin_grants" cascade;`);
    this.addSql(`alter table "recipients" drop column "first_name";`);
  }
}
