import { Migration } from '@mikro-orm/migrations';

export class Migration20261124114028_stock_from_payments extends Migration {
  override name = 'Migration20261124114028_stock_from_payments';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "inbox" ("consumer" varchar(200) not null, "message_id" uuid not null, "received_at" timestamptz not null default now(), primary key ("consumer", "message_id"));`,
    );

    this.addSql(
      `create table "outbox" ("id" uuid not null, "type" varchar(100) not null, "routing_key" varchar(255) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "published_at" timestamptz null, "attempts" int not null default 0, "last_error" text null, primary key ("id"));`,
    );
    this.addSql(
      `create index "outbox_pending_idx" on "outbox" ("occurred_at") where "published_at" is null;`,
    );
    this.addSql(`create index "outbox_published_at_idx" on "outbox" ("published_at");`);

    this.addSql(
      `create table "stock_orders" ("order_id" int not null, "lines" jsonb null, "paid_at" timestamptz null, "applied_at" timestamptz null, "created_at" timestamptz not null default now(), primary key ("order_id"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "inbox" cascade;`);
    this.addSql(`drop table if exists "outbox" cascade;`);
    this.addSql(`drop table if exists "stock_orders" cascade;`);
  }
}
