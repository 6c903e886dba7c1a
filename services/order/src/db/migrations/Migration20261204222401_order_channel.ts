import { Migration } from '@mikro-orm/migrations';

export class Migration20261204222401_order_channel extends Migration {
  override name = 'Migration20261204222401_order_channel';

  override up(): void | Promise<void> {
    this.addSql(`alter table "orders" add "channel" text null;`);
    this.addSql(
      `alter table "orders" add constraint "orders_channel_check" check ("channel" in ('chat', 'mini_app', 'web'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "orders" drop constraint "orders_channel_check";`);
    this.addSql(`alter table "orders" drop column "channel";`);
  }
}
