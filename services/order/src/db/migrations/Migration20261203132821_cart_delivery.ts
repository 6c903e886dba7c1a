import { Migration } from '@mikro-orm/migrations';

export class Migration20261203132821_cart_delivery extends Migration {
  override name = 'Migration20261203132821_cart_delivery';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "cart_items" ("user_id" uuid not null, "product_id" int not null, "quantity" int not null, "name" varchar(200) not null, "added_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("user_id", "product_id"));`,
    );

    this.addSql(
      `create table "order_deliveries" ("order_id" bigint not null, "name" varchar(100) not null, "phone" varchar(40) not null, "address" varchar(500) not null, primary key ("order_id"));`,
    );

    this.addSql(
      `alter table "order_deliveries" add constraint "order_deliveries_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "cart_items" cascade;`);
    this.addSql(`drop table if exists "order_deliveries" cascade;`);
  }
}
