import { Migration } from '@mikro-orm/migrations';

export class Migration20261203072823_admin_grant_and_family_start extends Migration {
  override name = 'Migration20261203072823_admin_grant_and_family_start';

  override up(): void | Promise<void> {
    // Roles granted by e-mail are not carried over: an operator grants them again with `npm run admin`.
    this.addSql(`alter table "users" drop constraint "users_role_check";`);
    this.addSql(`alter table "users" drop column "role";`);
    this.addSql(`alter table "users" add "admin_granted_at" timestamptz null;`);

    // A family from before started with its oldest token.
    this.addSql(`alter table "refresh_tokens" add "family_created_at" timestamptz null;`);
    this.addSql(
      `update "refresh_tokens" as "token" set "family_created_at" = "family"."started" from (select "family_id", min("created_at") as "started" from "refresh_tokens" group by "family_id") as "family" where "token"."family_id" = "family"."family_id";`,
    );
    this.addSql(`alter table "refresh_tokens" alter column "family_created_at" set not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "refresh_tokens" drop column "family_created_at";`);

    this.addSql(`alter table "users" drop column "admin_granted_at";`);
    this.addSql(`alter table "users" add "role" text not null default 'user';`);
    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('user', 'admin'));`);
  }
}
