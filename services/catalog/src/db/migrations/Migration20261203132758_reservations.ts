import { Migration } from '@mikro-orm/migrations';

export class Migration20261203132758_reservations extends Migration {
  override name = 'Migration20261203132758_reservations';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "reservations" ("order_id" bigint not null, "lines" jsonb null, "state" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("order_id"));`,
    );
    this.addSql(
      `alter table "reservations" add constraint "reservations_state_check" check ("state" in ('reserved', 'sold', 'released', 'rejected'));`,
    );
    this.addSql(`alter table "products" add "reserved" int not null default 0;`);

    // What stock_orders knew becomes reservations: an order whose stock was taken is sold; one
    // with lines but no payment yet holds its units from now on (at most what is on hand), so
    // its payment or failure sells or releases them like any other. A payment whose order had
    // not arrived has no lines to hold: its order.created, when it comes, reserves as a new one.
    this.addSql(
      `insert into "reservations" ("order_id", "lines", "state")
       select "order_id", "lines", case when "applied_at" is not null then 'sold' else 'reserved' end
       from "stock_orders" where "lines" is not null and ("applied_at" is not null or "paid_at" is null);`,
    );
    this.addSql(
      `update "products" p set "reserved" = least(p."stock", held.quantity)
       from (select (line->>'productId')::int as product_id, sum((line->>'quantity')::int) as quantity
             from "reservations" r, jsonb_array_elements(r."lines") as line
             where r."state" = 'reserved' group by 1) held
       where p."id" = held.product_id;`,
    );
    this.addSql(
      `alter table "products" add constraint "products_reserved_check" check (reserved >= 0 and reserved <= stock);`,
    );
    this.addSql(`drop table if exists "stock_orders" cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `create table "stock_orders" ("order_id" int4 not null, "lines" jsonb null, "paid_at" timestamptz(6) null, "applied_at" timestamptz(6) null, "created_at" timestamptz(6) not null default now(), primary key ("order_id"));`,
    );

    this.addSql(`drop table if exists "reservations" cascade;`);

    this.addSql(`alter table "products" drop constraint "products_reserved_check";`);
    this.addSql(`alter table "products" drop column "reserved";`);
  }
}
