import { Migration } from '@mikro-orm/migrations';

export class Migration20261203072948_payment_method extends Migration {
  override name = 'Migration20261203072948_payment_method';

  override up(): void | Promise<void> {
    this.addSql(`alter table "payments" add "method" text not null default 'simulated';`);
    this.addSql(
      `alter table "payments" add constraint "payments_method_check" check ("method" in ('simulated'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "payments" drop constraint "payments_method_check";`);
    this.addSql(`alter table "payments" drop column "method";`);
  }
}
