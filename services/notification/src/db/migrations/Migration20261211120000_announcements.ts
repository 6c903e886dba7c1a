import { Migration } from '@mikro-orm/migrations';

export class Migration20261211120000_announcements extends Migration {
  override name = 'Migration20261211120000_announcements';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "announcements" ("id" bigserial primary key, "admin_user_id" uuid not null, "idempotency_key" varchar(200) not null, "request_hash" varchar(64) not null, "text" text null, "photo_file_id" varchar(255) null, "status" text not null default 'sending', "total" int not null, "progress_posted" boolean not null default false, "progress_chat_id" bigint null, "progress_message_id" bigint null, "progress_shown" text null, "created_at" timestamptz not null default now(), "finished_at" timestamptz null);`,
    );
    this.addSql(
      `create index "announcements_sending_idx" on "announcements" ("id") where "status" = 'sending';`,
    );
    this.addSql(
      `alter table "announcements" add constraint "announcements_admin_key_unique" unique ("admin_user_id", "idempotency_key");`,
    );

    this.addSql(
      `create table "announcement_deliveries" ("announcement_id" bigint not null, "user_id" uuid not null, "chat_id" bigint not null, "status" text not null default 'pending', "claimed_at" timestamptz null, "sent_at" timestamptz null, "telegram_message_id" bigint null, "last_error" text null, primary key ("announcement_id", "user_id"));`,
    );
    this.addSql(
      `create index "announcement_deliveries_pending_idx" on "announcement_deliveries" ("announcement_id", "user_id") where "status" = 'pending';`,
    );
    this.addSql(
      `create index "announcement_deliveries_sending_idx" on "announcement_deliveries" ("claimed_at") where "status" = 'sending';`,
    );

    this.addSql(
      `alter table "announcements" add constraint "announcements_status_check" check ("status" in ('sending', 'done'));`,
    );

    this.addSql(
      `alter table "announcement_deliveries" add constraint "announcement_deliveries_status_check" check ("status" in ('pending', 'sending', 'sent', 'blocked', 'failed'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "announcements" cascade;`);
    this.addSql(`drop table if exists "announcement_deliveries" cascade;`);
  }
}
