/**
 * `npm run admin -- grant <email>` / `revoke <email>`: a shop operator, on the server, names or
 * removes an admin (in the container: `node services/auth/dist/cli/admin.js grant <email>`).
 * It reads auth's own settings (POSTGRES_URL, DATABASE_PREFIX), applies auth's migrations if the
 * database lags behind, prints one line saying what it did, and exits 1 for an unknown e-mail,
 * 2 for a command it does not understand.
 */
import { createLogger } from '@shop/shared';
import { loadAdminCommandConfig } from '../config.ts';
import { openAuthDatabase } from '../db/database.ts';
import { grantAdmin, revokeAdmin, type GrantChange } from '../store/admin-grants.ts';
import { emailSchema } from '../routes/schemas.ts';

const USAGE = 'usage: npm run admin -- grant <email> | revoke <email>';

function refuse(message: string, exitCode: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(exitCode);
}

const [command, address, ...extra] = process.argv.slice(2);
if ((command !== 'grant' && command !== 'revoke') || address === undefined || extra.length > 0) {
  refuse(
    `${command === undefined ? 'no command given' : `cannot do ${JSON.stringify(process.argv.slice(2).join(' '))}`}\n${USAGE}`,
    2,
  );
}
const parsed = emailSchema.safeParse(address);
if (!parsed.success) refuse(`${JSON.stringify(address)} is not an e-mail address\n${USAGE}`, 2);
const email = parsed.data;

const config = loadAdminCommandConfig();
const logger = createLogger({ service: 'admin', level: config.LOG_LEVEL, format: config.LOG_FORMAT });

const sessions = (count: number) => `${count} session${count === 1 ? '' : 's'} signed out`;

function describe(change: GrantChange): string {
  if (command === 'grant') {
    return change.changed
      ? `granted: ${email} is an admin from their next sign-in or token refresh`
      : `granted already: ${email} is an admin`;
  }
  const before = change.changed ? 'is no longer an admin' : 'had no admin grant';
  return `revoked: ${email} ${before}; ${sessions(change.sessionsRevoked)}`;
}

const orm = await openAuthDatabase(config, logger);
try {
  const change = await (command === 'grant' ? grantAdmin : revokeAdmin)(orm.em.fork(), email);
  if (!change) {
    process.stderr.write(`no account has the e-mail ${email}: they must register first\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${describe(change)}\n`);
    if (
      command === 'revoke' &&
      change.telegramId != null &&
      config.ADMIN_TELEGRAM_IDS.has(change.telegramId)
    ) {
      process.stderr.write(
        `note: ${email} stays an admin while ADMIN_TELEGRAM_IDS names their Telegram id ${change.telegramId}\n`,
      );
    }
  }
} finally {
  await orm.close();
}
