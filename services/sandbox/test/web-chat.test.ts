import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const POLICY =
  "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; " +
  'frame-src https: http://localhost:* http://*.localhost:* http://127.0.0.1:*';

describe('the web chat', () => {
  it('serves index.html with a Content-Security-Policy that allows only its own origin, and Mini Apps in its frame', async () => {
    const response = await fetch(`${sandbox.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(POLICY);
    const html = await response.text();
    for (const testId of [
      'new-user-name',
      'new-user-lang',
      'create-user',
      'user-select',
      'message-input',
      'send',
    ]) {
      expect(html).toContain(`data-testid="${testId}"`);
    }
    // Nothing remote and no inline script: the policy would block either.
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>/);
  });

  it('serves its modules and styles with their content types', async () => {
    for (const [file, type] of [
      ['app.js', 'text/javascript; charset=utf-8'],
      ['render.js', 'text/javascript; charset=utf-8'],
      ['style.css', 'text/css; charset=utf-8'],
    ]) {
      const response = await fetch(`${sandbox.url}/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toBe(type);
    }
  });

  it('serves nothing outside its own files', async () => {
    for (const path of ['/package.json', '/..%2fpackage.json', '/tsconfig.json', '/nope.js']) {
      expect((await fetch(`${sandbox.url}${path}`)).status, path).toBe(404);
    }
  });

  it('answers /health and /ready like every service', async () => {
    expect((await fetch(`${sandbox.url}/health`)).status).toBe(200);
    const ready = await fetch(`${sandbox.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok' });
  });

  it('documents its payment and Mini App control routes in its OpenAPI document', async () => {
    const { paths } = (await (await fetch(`${sandbox.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/sandbox/api/chats/{chatId}/invoices/{messageId}/pay',
        '/sandbox/api/chats/{chatId}/invoice-links/{slug}/pay',
        '/sandbox/api/chats/{chatId}/successful-payments',
        '/sandbox/api/users/{userId}/stars',
        '/sandbox/api/charges',
        '/sandbox/api/pre-checkout-queries',
        '/sandbox/api/updates/{updateId}/redeliver',
        '/sandbox/api/chats/{chatId}/menu-button',
        '/sandbox/api/chats/{chatId}/web-apps',
        '/sandbox/api/mini-app/themes',
      ]),
    );
    expect(Object.keys(paths['/sandbox/api/users/{userId}/stars'] ?? {})).toEqual(['get', 'put']);
  });
});
