import { Migration } from '@mikro-orm/migrations';

export class Migration20261124104055 extends Migration {
  override name = 'Migration20261124104055';

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
      `create table "payments" ("id" uuid not null, "order_id" bigint not null, "user_id" uuid not null, "status" text not null, "amount_cents" int not null, "currency" char(3) not null, "reason" varchar(500) null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "payments" add constraint "payments_order_id_unique" unique ("order_id");`);
    this.addSql(
      `alter table "payments" add constraint "payments_status_check" check ("status" in ('succeeded', 'failed'));`,
    );
  }
}
