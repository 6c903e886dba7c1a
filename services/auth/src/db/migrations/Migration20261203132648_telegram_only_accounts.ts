import { Migration } from '@mikro-orm/migrations';

export class Migration20261203132648_telegram_only_accounts extends Migration {
  override name = 'Migration20261203132648_telegram_only_accounts';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "first_name" varchar(128) null, add "username" varchar(32) null;`);
    this.addSql(`alter table "users" alter column "email" drop not null;`);
    this.addSql(`alter table "users" alter column "password_hash" drop not null;`);
    // An account has both an e-mail and a password, or neither (signed in with Telegram only).
    this.addSql(
      `alter table "users" add constraint "users_password_hash_check" check (("email" is null) = ("password_hash" is null));`,
    );
  }

  override down(): void | Promise<void> {
    // Fails while Telegram-only accounts exist: they cannot be given an e-mail and a password.
    this.addSql(`alter table "users" drop constraint "users_password_hash_check";`);
    this.addSql(`alter table "users" drop column "first_name", drop column "username";`);
    this.addSql(`alter table "users" alter column "email" set not null;`);
    this.addSql(`alter table "users" alter column "password_hash" set not null;`);
  }
}
