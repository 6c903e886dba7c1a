import { Migration } from '@mikro-orm/migrations';

export class Migration20261210090000_hidden extends Migration {
  override name = 'Migration20261210090000_hidden';

  override up(): void | Promise<void> {
    this.addSql(`alter table "categories" add "hidden" boolean not null default false;`);
    this.addSql(`alter table "products" add "hidden" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "products" drop column "hidden";`);
    this.addSql(`alter table "categories" drop column "hidden";`);
  }
}
