import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@shop/shared';
import { testDatabaseName, uniqueEmail } from '@shop/testkit';
import { authConfigSchema } from '../src/config.ts';
import { bearer, registerAndLogin, startAuth, type TestAuth } from './harness.ts';

const newEncryptionKey = () => randomBytes(32).toString('base64');
let databases = 0;
// Each test starts from an empty database of its own.
const freshDatabase = () => testDatabaseName(`auth_keys${++databases}`);

const storedPrivateParts = async (auth: TestAuth) =>
  (
    await auth.orm.em
      .fork()
      .getConnection()
      .execute<{ private_jwk: Record<string, unknown> | null }[]>('select private_jwk from signing_keys')
  ).map((row) => row.private_jwk);

async function withAuth<T>(env: Record<string, string>, dbName: string, use: (auth: TestAuth) => Promise<T>) {
  const auth = await startAuth(env, dbName);
  try {
    return await use(auth);
  } finally {
    await auth.close();
  }
}

const signedInToken = async (auth: TestAuth) => (await registerAndLogin(auth.app, uniqueEmail())).accessToken;
const meStatus = async (auth: TestAuth, token: string) =>
  (await auth.app.request('/auth/me', { headers: bearer(token) })).status;

describe('the signing key stored in the auth database', () => {
  it('is encrypted when JWT_KEY_ENCRYPTION_KEY is given, and signs tokens as before', async () => {
    const dbName = freshDatabase();
    const env = { JWT_KEY_ENCRYPTION_KEY: newEncryptionKey() };
    const token = await withAuth(env, dbName, async (auth) => {
      const [stored] = await storedPrivateParts(auth);
      expect(stored).toMatchObject({ sealed: 'A256GCM' });
      expect(stored).not.toHaveProperty('d');
      return signedInToken(auth);
    });
    await withAuth(env, dbName, async (restarted) => expect(await meStatus(restarted, token)).toBe(200));
  });

  it('is encrypted at the first start with a key when it was stored plain, and its tokens stay valid', async () => {
    const dbName = freshDatabase();
    const token = await withAuth({}, dbName, async (auth) => {
      expect((await storedPrivateParts(auth))[0]).toHaveProperty('d');
      return signedInToken(auth);
    });
    await withAuth({ JWT_KEY_ENCRYPTION_KEY: newEncryptionKey() }, dbName, async (auth) => {
      const [stored] = await storedPrivateParts(auth);
      expect(stored).toMatchObject({ sealed: 'A256GCM' });
      expect(stored).not.toHaveProperty('d');
      expect(await meStatus(auth, token)).toBe(200);
    });
  });

  it('stops the start, naming JWT_KEY_ENCRYPTION_KEY, when it is encrypted and the key is not given', async () => {
    const dbName = freshDatabase();
    await withAuth({ JWT_KEY_ENCRYPTION_KEY: newEncryptionKey() }, dbName, async () => {});
    await expect(startAuth({}, dbName)).rejects.toThrow(/encrypted: set JWT_KEY_ENCRYPTION_KEY/);
  });

  it('stops the start, naming JWT_KEY_ENCRYPTION_KEY, when the key given is not the one that encrypted it', async () => {
    const dbName = freshDatabase();
    const rightKey = newEncryptionKey();
    const before = await withAuth({ JWT_KEY_ENCRYPTION_KEY: rightKey }, dbName, storedPrivateParts);
    await expect(startAuth({ JWT_KEY_ENCRYPTION_KEY: newEncryptionKey() }, dbName)).rejects.toThrow(
      /JWT_KEY_ENCRYPTION_KEY does not decrypt the signing key/,
    );
    // Nothing was changed: the right key still opens what is stored.
    await withAuth({ JWT_KEY_ENCRYPTION_KEY: rightKey }, dbName, async (auth) =>
      expect(await storedPrivateParts(auth)).toEqual(before),
    );
  });

  it('never holds the private part of a key given in JWT_PRIVATE_KEY', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = await exportJWK(privateKey);
    await withAuth({ JWT_PRIVATE_KEY: JSON.stringify(jwk) }, freshDatabase(), async (auth) => {
      expect(await storedPrivateParts(auth)).toEqual([null]);
      expect(await meStatus(auth, await signedInToken(auth))).toBe(200);
    });
  });

  it('refuses a JWT_KEY_ENCRYPTION_KEY that is not 32 bytes in base64', () => {
    for (const bad of ['secret', randomBytes(16).toString('base64'), randomBytes(32).toString('hex')])
      expect(() => loadConfig(authConfigSchema, { JWT_KEY_ENCRYPTION_KEY: bad })).toThrow(
        /JWT_KEY_ENCRYPTION_KEY=\(hidden\): must be 32 random bytes in base64/,
      );
  });
});
