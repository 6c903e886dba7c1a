import { Migration } from '@mikro-orm/migrations';

export class Migration20261203134310_reservations extends Migration {
  override name = 'Migration20261203134310_reservations';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "order_status_history" ("id" bigserial primary key, "order_id" bigint not null, "status" text not null, "at" timestamptz not null default now());`,
    );
    this.addSql(`create index "order_status_history_order_id_index" on "order_status_history" ("order_id");`);

    this.addSql(`alter table "orders" drop constraint "orders_status_check";`);
    this.addSql(`alter table "orders" add "cancel_reason" text null, add "reserved_until" timestamptz null;`);
    this.addSql(
      `create index "orders_reserved_until_index" on "orders" ("reserved_until") where "status" = 'awaiting_payment';`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_cancel_reason_check" check ("cancel_reason" in ('out_of_stock', 'expired', 'buyer', 'merchant'));`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_status_check" check ("status" in ('pending', 'awaiting_payment', 'paid', 'cancelled', 'payment_failed'));`,
    );

    this.addSql(
      `alter table "order_status_history" add constraint "order_status_history_order_id_foreign" foreign key ("order_id") references "orders" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "order_status_history" add constraint "order_status_history_status_check" check ("status" in ('pending', 'awaiting_payment', 'paid', 'cancelled', 'payment_failed'));`,
    );
    // Orders paid or failed before the history existed moved once, when they were last updated.
    this.addSql(
      `insert into "order_status_history" ("order_id", "status", "at") select "id", "status", "updated_at" from "orders" where "status" <> 'pending' order by "id";`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "order_status_history" cascade;`);

    this.addSql(`drop index "orders_reserved_until_index";`);
    this.addSql(`alter table "orders" drop constraint "orders_cancel_reason_check";`);
    this.addSql(`alter table "orders" drop constraint "orders_status_check";`);
    this.addSql(`alter table "orders" drop column "cancel_reason", drop column "reserved_until";`);
    this.addSql(
      `alter table "orders" add constraint "orders_status_check" check ("status" in ('pending', 'paid', 'payment_failed'));`,
    );
  }
}
