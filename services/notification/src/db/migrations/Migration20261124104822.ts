import { Migration } from '@mikro-orm/migrations';

export class Migration20261124104822 extends Migration {
  override name = 'Migration20261124104822';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "inbox" ("consumer" varchar(200) not null, "message_id" uuid not null, "received_at" timestamptz not null default now(), primary key ("consumer", "message_id"));`,
    );

    this.addSql(
      `create table "notifications" ("event_id" uuid not null, "kind" text not null, "order_id" bigint not null, "user_id" uuid not null, "payment_id" uuid not null, "reason" text null, "status" text not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "claimed_at" timestamptz null, "chat_id" bigint null, "telegram_message_id" bigint null, "last_error" text null, "sent_at" timestamptz null, "created_at" timestamptz not null default now(), primary key ("event_id"));`,
    );
    this.addSql(`create index "notifications_user_id_index" on "notifications" ("user_id");`);
    this.addSql(
      `create index "notifications_due_idx" on "notifications" ("next_attempt_at") where "status" = 'pending';`,
    );
    this.addSql(
      `create index "notifications_sending_idx" on "notifications" ("claimed_at") where "status" = 'sending';`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_order_kind_unique" unique ("order_id", "kind");`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_kind_check" check ("kind" in ('payment.succeeded', 'payment.failed'));`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_status_check" check ("status" in ('pending', 'sending', 'sent', 'skipped', 'failed'));`,
    );

    this.addSql(
      `create table "order_summaries" ("order_id" bigint not null, "user_id" uuid not null, "items" jsonb not null, "total_cents" bigint not null, "currency" varchar(3) not null, "received_at" timestamptz not null default now(), primary key ("order_id"));`,
    );

    this.addSql(
      `create table "recipients" ("user_id" uuid not null, "telegram_id" bigint not null, "language_code" varchar(35) null, "linked_at" timestamptz not null, "unreachable_at" timestamptz null, primary key ("user_id"));`,
    );
  }
}
