import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger, uniqueEmail } from '@shop/testkit';
import { json, startAuth, type TestAuth } from './harness.ts';

let auth: TestAuth;
const log = recordingLogger();
beforeAll(async () => {
  auth = await startAuth({}, undefined, undefined, log.logger);
});
afterAll(() => auth.close());

describe('POST /auth/register', () => {
  it('creates the account with a trimmed, lower-cased e-mail', async () => {
    const email = uniqueEmail('Anna');
    const res = await json(auth.app, 'POST', '/auth/register', {
      email: `  ${email.toUpperCase()} `,
      password: 'long enough',
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; email: string };
    expect(body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: email.toLowerCase() });
  });

  it('answers 409 email_taken for a second account with the same e-mail', async () => {
    const email = uniqueEmail();
    await json(auth.app, 'POST', '/auth/register', { email, password: 'long enough' });
    const res = await json(auth.app, 'POST', '/auth/register', {
      email: email.toUpperCase(),
      password: 'other password',
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'email_taken' } });
  });

  it('logs a second registration with the same e-mail as neither an error nor a warning', async () => {
    const email = uniqueEmail('again');
    await json(auth.app, 'POST', '/auth/register', { email, password: 'long enough' });
    const from = log.lines.length;
    const res = await json(auth.app, 'POST', '/auth/register', { email, password: 'long enough' });
    expect(res.status).toBe(409);
    // pino levels: 40 warn, 50 error.
    expect(log.lines.slice(from).filter((line) => Number(line.level) >= 40)).toEqual([]);
  });

  it('lets exactly one of two concurrent registrations with one e-mail win', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        json(auth.app, 'POST', '/auth/register', { email, password: 'long enough' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
  });

  it('accepts a password of exactly 72 bytes (36 Cyrillic letters)', async () => {
    const res = await json(auth.app, 'POST', '/auth/register', {
      email: uniqueEmail(),
      password: 'ж'.repeat(36),
    });
    expect(res.status).toBe(201);
  });

  const invalid: [string, unknown, string][] = [
    ['a missing password', { email: 'x@example.test' }, 'json.password'],
    ['a missing e-mail', { password: 'long enough' }, 'json.email'],
    ['an extra field', { email: 'x@example.test', password: 'long enough', role: 'admin' }, 'json'],
    ['an invalid e-mail', { email: 'not-an-email', password: 'long enough' }, 'json.email'],
    ['a 7-byte password', { email: 'x@example.test', password: '1234567' }, 'json.password'],
    ['a 73-byte password', { email: 'x@example.test', password: 'a'.repeat(73) }, 'json.password'],
    [
      '40 Cyrillic letters (80 bytes)',
      { email: 'x@example.test', password: 'я'.repeat(40) },
      'json.password',
    ],
    ['a number as the password', { email: 'x@example.test', password: 12345678 }, 'json.password'],
  ];
  it.each(invalid)('rejects %s with 400 and the field named', async (_label, body, path) => {
    const res = await json(auth.app, 'POST', '/auth/register', body);
    expect(res.status).toBe(400);
    const error = ((await res.json()) as { error: { code: string; details: { path: string }[] } }).error;
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((d) => d.path).join(' ')).toContain(path);
  });

  it('rejects a body that is not JSON with 400', async () => {
    const res = await auth.app.request('/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"email": "x@example.test", ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: expect.any(String), message: expect.any(String) },
    });
  });

  it('rejects a form-encoded body with 415 in the contract error shape', async () => {
    const res = await auth.app.request('/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=x@example.test&password=long+enough',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('rejects a request with no body and no content type with 400', async () => {
    const res = await auth.app.request('/auth/register', { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('rejects a 1 MB body with 413 and stores nothing', async () => {
    const email = uniqueEmail('huge');
    const res = await json(auth.app, 'POST', '/auth/register', {
      email,
      password: 'long enough',
      pad: 'x'.repeat(1 << 20),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const login = await json(auth.app, 'POST', '/auth/login', { email, password: 'long enough' });
    expect(login.status).toBe(401);
  });
});
