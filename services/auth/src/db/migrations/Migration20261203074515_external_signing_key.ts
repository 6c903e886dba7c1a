import { Migration } from '@mikro-orm/migrations';

export class Migration20261203074515_external_signing_key extends Migration {
  override name = 'Migration20261203074515_external_signing_key';

  override up(): void | Promise<void> {
    this.addSql(`alter table "signing_keys" alter column "private_jwk" drop not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "signing_keys" alter column "private_jwk" set not null;`);
  }
}
