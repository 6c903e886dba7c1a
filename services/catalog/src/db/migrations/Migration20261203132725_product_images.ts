import { Migration } from '@mikro-orm/migrations';

export class Migration20261203132725_product_images extends Migration {
  override name = 'Migration20261203132725_product_images';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "product_images" ("product_id" int not null, "version" varchar(64) not null, "content_type" varchar(32) not null, "width" int not null, "height" int not null, "bytes" bytea not null, "updated_at" timestamptz not null, primary key ("product_id"));`,
    );
    // JPEG bytes do not compress: store them out of line without trying.
    this.addSql(`alter table "product_images" alter column "bytes" set storage external;`);

    this.addSql(
      `alter table "product_images" add constraint "product_images_product_id_foreign" foreign key ("product_id") references "products" ("id") on update cascade on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "product_images" cascade;`);
  }
}
