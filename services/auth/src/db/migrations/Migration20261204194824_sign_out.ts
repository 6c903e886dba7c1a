import { Migration } from '@mikro-orm/migrations';

export class Migration20261204194824_sign_out extends Migration {
  override name = 'Migration20261204194824_sign_out';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "signed_out_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "users" drop column "signed_out_at";`);
  }
}
