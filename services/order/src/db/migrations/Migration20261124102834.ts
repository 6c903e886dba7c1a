import { Migration } from '@mikro-orm/migrations';

export class Migration20261124102834 extends Migration {
  override name = 'Migration20261124102834';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "idempotency_keys" ("user_id" uuid not null, "key" varchar(200) not null, "request_hash" varchar(64) not null, "response_status" smallint null, "response_body" json null, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("user_id", "key"));`,
    );
    this.addSql(`create index "idempotency_keys_expires_at_index" on "idempotency_keys" ("expires_at");`);

    this.addSql(
      `create table "inbox" ("consumer" varchar(200) not null, "message_id" uuid not null, "received_at" timestamptz not null default now(), primary key ("consumer", "message_id"));`,
    );

    this.addSql(
      `create table "orders" ("id" bigserial primary key, "user_id" uuid not null, "status" text not null default 'pending', "total_cents" int not null, "currency" char(3) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "orders_user_id_created_at_index" on "orders" ("user_id", "created_at");`);
    this.addSql(
      `alter table "orders" add constraint "orders_status_check" check ("status" in ('pending', 'paid', 'payment_failed'));`,
    );

    this.addSql(
      `create table "order_items" ("id" bigserial primary key, "order_id" bigint not null, "product_id" int not null, "name" varchar(200) not null, "unit_price_cents" int not null, "quantity" int not null);`,
    );
    this.addSql(`create index "order_items_order_id_index" on "order_items" ("order_id");`);

    this.addSql(
      `create table "outbox" ("id" uuid not null, "type" varchar(100) not null, "routing_key" varchar(255) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "published_at" timestamptz null, "attempts" int not null default 0, "last_error" text null, primary key ("id"));`,
    );
    this.addSql(
      `create index "outbox_pending_idx" on "outbox" ("occurred_at") where "published_at" is null;`,
    );
    this.addSql(`create index "outbox_published_at_idx" on "outbox" ("published_at");`);

    this.addSql(
      `alter table "order_items" add constraint "order_items_order_id_foreign" foreign key ("order_id") references "orders" ("id") on delete cascade;`,
    );
  }
}
