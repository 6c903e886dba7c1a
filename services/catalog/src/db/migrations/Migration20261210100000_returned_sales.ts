import { Migration } from '@mikro-orm/migrations';

export class Migration20261210100000_returned_sales extends Migration {
  override name = 'Migration20261210100000_returned_sales';

  override up(): void | Promise<void> {
    this.addSql(`alter table "reservations" drop constraint "reservations_state_check";`);
    this.addSql(
      `alter table "reservations" add constraint "reservations_state_check" check ("state" in ('reserved', 'sold', 'returned', 'released', 'rejected'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "reservations" drop constraint "reservations_state_check";`);
    this.addSql(
      `alter table "reservations" add constraint "reservations_state_check" check ("state" in ('reserved', 'sold', 'released', 'rejected'));`,
    );
  }
}
