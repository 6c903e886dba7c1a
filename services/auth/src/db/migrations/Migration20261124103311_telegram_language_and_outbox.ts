import { Migration } from '@mikro-orm/migrations';

export class Migration20261124103311_telegram_language_and_outbox extends Migration {
  override name = 'Migration20261124103311_telegram_language_and_outbox';

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

    this.addSql(`alter table "users" add "language_code" varchar(35) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "inbox" cascade;`);
    this.addSql(`drop table if exists "outbox" cascade;`);

    this.addSql(`alter table "users" drop column "language_code";`);
  }
}
