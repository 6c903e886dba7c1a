import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, uniqueEmail } from '@shop/testkit';
import { json, registerAndLogin, startAuth, type TestAuth } from './harness.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// The global teardown drops every database named shop_t<runId>_*.
const prefix = `shop_t${inject('runId')}_admincmd`;
const adminId = 1_000_000_000 + Math.floor(Math.random() * 1e9);

/** Runs `npm run admin -- <args>` as the operator would, against this run's auth database. */
function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', 'services/auth/src/cli/admin.ts', ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_PREFIX: prefix,
          ADMIN_TELEGRAM_IDS: String(adminId),
          LOG_LEVEL: 'warn',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let auth: TestAuth;
beforeAll(async () => {
  auth = await startAuth({ ADMIN_TELEGRAM_IDS: String(adminId) }, `${prefix}_auth`);
});
afterAll(() => auth.close());

type Published = Awaited<ReturnType<TestAuth['published']>>[number];
const grantsOf = (events: Published[], userId: string) =>
  events
    .filter((event) => event.type === 'user.admin_grant_changed' && event.data.userId === userId)
    .map((event) => event.data.granted);

const login = async (email: string) => {
  const res = await json(auth.app, 'POST', '/auth/login', { email, password: 'a good password' });
  return (await res.json()) as { accessToken: string; refreshToken: string };
};

describe('npm run admin', () => {
  it('grants the admin role to a registered account, which its next refresh carries', async () => {
    const email = uniqueEmail('operator');
    const pair = await registerAndLogin(auth.app, email);

    const granted = await admin('grant', email.toUpperCase());

    expect(granted).toMatchObject({
      code: 0,
      stdout: `granted: ${email} is an admin from their next sign-in or token refresh\n`,
    });
    const refreshed = await json(auth.app, 'POST', '/auth/refresh', { refreshToken: pair.refreshToken });
    expect(decodeJwt(((await refreshed.json()) as { accessToken: string }).accessToken).role).toBe('admin');
    expect((await admin('grant', email)).stdout).toBe(`granted already: ${email} is an admin\n`);
  });

  it('revokes the role and signs every session of the account out', async () => {
    const email = uniqueEmail('former');
    const phone = await registerAndLogin(auth.app, email);
    const laptop = await login(email);
    await admin('grant', email);

    const revoked = await admin('revoke', email);

    expect(revoked).toMatchObject({
      code: 0,
      stdout: `revoked: ${email} is no longer an admin; 2 sessions signed out\n`,
    });
    for (const { refreshToken } of [phone, laptop]) {
      const res = await json(auth.app, 'POST', '/auth/refresh', { refreshToken });
      expect(res.status).toBe(401);
    }
    expect(decodeJwt((await login(email)).accessToken).role).toBe('user');
  });

  it('says so when ADMIN_TELEGRAM_IDS keeps the account an admin after a revocation', async () => {
    const email = uniqueEmail('by-telegram');
    const { accessToken } = await registerAndLogin(auth.app, email);
    await json(
      auth.app,
      'PUT',
      '/auth/me/telegram',
      { telegramId: adminId },
      {
        Authorization: `Bearer ${accessToken}`,
        'X-Service-Token': auth.config.BOT_SERVICE_TOKEN,
      },
    );

    const revoked = await admin('revoke', email);

    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toContain(
      `stays an admin while ADMIN_TELEGRAM_IDS names their Telegram id ${adminId}`,
    );
  });

  it('announces a grant and a revocation to the shop (user.admin_grant_changed), in that order', async () => {
    const email = uniqueEmail('alerted');
    await registerAndLogin(auth.app, email);
    const { id: userId } = (await (
      await json(auth.app, 'GET', '/auth/me', undefined, {
        Authorization: `Bearer ${(await login(email)).accessToken}`,
      })
    ).json()) as { id: string };

    await admin('grant', email);
    await admin('revoke', email);

    // The CLI writes the events to auth's outbox; the running auth publishes them.
    const seen: Published[] = [];
    await eventually(async () => {
      seen.push(...(await auth.published()));
      expect(grantsOf(seen, userId)).toEqual([true, false]);
    });
  });

  it('announces, when it starts, the Telegram ids ADMIN_TELEGRAM_IDS names and every standing grant', async () => {
    const email = uniqueEmail('standing');
    await registerAndLogin(auth.app, email);
    const { id: userId } = (await (
      await json(auth.app, 'GET', '/auth/me', undefined, {
        Authorization: `Bearer ${(await login(email)).accessToken}`,
      })
    ).json()) as { id: string };
    await admin('grant', email);
    const otherId = adminId + 1;

    // An auth restarted with another ADMIN_TELEGRAM_IDS, on the same database; its events may
    // go out through either replica's relay.
    const restarted = await startAuth({ ADMIN_TELEGRAM_IDS: `${otherId},${adminId}` }, `${prefix}_auth`);
    try {
      const seen: Published[] = [];
      await eventually(async () => {
        seen.push(...(await auth.published()), ...(await restarted.published()));
        expect(
          seen.filter((event) => event.type === 'admins.configured').map((event) => event.data),
        ).toContainEqual({ telegramIds: [adminId, otherId] });
        // The operator's grant, then the restart's.
        expect(grantsOf(seen, userId)).toEqual([true, true]);
      });
    } finally {
      await restarted.close();
    }
  });

  it('fails with a clear message for an e-mail no account has', async () => {
    const email = uniqueEmail('nobody');
    const result = await admin('grant', email);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain(`no account has the e-mail ${email}`);
  });

  it('fails with the usage for a command line it does not understand', async () => {
    const commandLines = [[], ['promote', 'x@example.test'], ['grant', 'not-an-email']];
    const results = await Promise.all(commandLines.map((args) => admin(...args)));
    for (const [index, result] of results.entries()) {
      const label = JSON.stringify(commandLines[index]);
      expect(result, label).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr, label).toContain('usage: npm run admin -- grant <email> | revoke <email>');
    }
  });
});
