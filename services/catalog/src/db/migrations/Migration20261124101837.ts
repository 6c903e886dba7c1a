import { Migration } from '@mikro-orm/migrations';

export class Migration20261124101837 extends Migration {
  override name = 'Migration20261124101837';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "catalog_state" ("id" int not null, "epoch" uuid not null, "version" bigint not null, primary key ("id"));`,
    );

    this.addSql(
      `create table "categories" ("id" serial primary key, "slug" varchar(64) not null, "name_en" varchar(200) not null, "name_ru" varchar(200) not null, "position" int not null default 0, "created_at" timestamptz not null);`,
    );
    this.addSql(`alter table "categories" add constraint "categories_slug_unique" unique ("slug");`);

    this.addSql(
      `create table "products" ("id" serial primary key, "category_id" int not null, "name_en" varchar(200) not null, "name_ru" varchar(200) not null, "description_en" text not null, "description_ru" text not null, "search_text" text not null, "price_cents" int not null, "currency" varchar(3) not null, "stock" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deleted_at" timestamptz null);`,
    );
    this.addSql(`create index "products_category_id_index" on "products" ("category_id");`);
    this.addSql(
      `alter table "products" add constraint "products_price_cents_check" check (price_cents > 0);`,
    );
    this.addSql(`alter table "products" add constraint "products_stock_check" check (stock >= 0);`);

    this.addSql(
      `alter table "products" add constraint "products_category_id_foreign" foreign key ("category_id") references "categories" ("id");`,
    );
  }
}
