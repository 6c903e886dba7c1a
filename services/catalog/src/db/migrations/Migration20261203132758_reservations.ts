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

    // What stock_orders knew becomes reservations: an order whose stock was taken is sold. An
    // order with lines and no payment yet holds its units from now on, oldest first, while they
    // are there; one they are not there for is rejected (its payment, should it still come,
    // sells nothing and is logged). A payment whose order had not arrived has no lines to hold:
    // that order's order.created, if still to come, reserves as a new one.
    this.addSql(
      `insert into "reservations" ("order_id", "lines", "state")
       select "order_id", "lines", 'sold' from "stock_orders" where "lines" is not null and "applied_at" is not null;`,
    );
    this.addSql(`do $$
      declare
        waiting record;
      begin
        for waiting in select "order_id", "lines" from "stock_orders"
            where "lines" is not null and "applied_at" is null and "paid_at" is null order by "order_id" loop
          if exists (
              select 1 from jsonb_to_recordset(waiting."lines") as line("productId" int, "quantity" int)
              left join "products" p on p."id" = line."productId" and p."deleted_at" is null
              where p."id" is null or p."stock" - p."reserved" < line."quantity") then
            insert into "reservations" ("order_id", "lines", "state") values (waiting."order_id", waiting."lines", 'rejected');
          else
            update "products" p set "reserved" = p."reserved" + line."quantity"
              from jsonb_to_recordset(waiting."lines") as line("productId" int, "quantity" int)
              where p."id" = line."productId";
            insert into "reservations" ("order_id", "lines", "state") values (waiting."order_id", waiting."lines", 'reserved');
          end if;
        end loop;
      end $$;`);
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
