import type { ServiceApp } from '@shop/shared';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AuthClient, Caller } from '../clients/auth.ts';
import { ServiceAnswer } from '../clients/http.ts';
import { adoptLanguage, isLanguage, rememberLanguage } from '../language.ts';
import { AccountPage, CredentialsPage } from '../pages/account-pages.tsx';
import type { Sessions } from '../session/sessions.ts';
import { launchSchema } from '../session/store.ts';
import { texts } from '../texts.ts';
import { formOf, localPath, toSignIn } from './forms.ts';
import { frameOf, render } from './pages.tsx';

export interface AccountDeps {
  auth: AuthClient;
  sessions: Sessions;
  stylesheet: string;
  /** The browser's address, for auth's per-client limits. */
  callerOf: (c: Context) => Caller;
}

/** The sentence for auth's refusal of a sign-in or registration, or undefined for an outage. */
const refusalOf = (error: unknown, lang: 'en' | 'ru', mode: 'signIn' | 'register') => {
  if (!(error instanceof ServiceAnswer)) return undefined;
  const t = texts[lang];
  if (error.status === 429) return t.tooManyTries;
  if (error.status === 409) return t.emailTaken;
  if (error.status === 401) return t.wrongCredentials;
  return mode === 'register' ? t.badCredentials : t.wrongCredentials;
};

const initDataBody = z.object({
  initData: z.string().min(1).max(10_000),
  /** The rest of the launch parameters, kept for the pages after the first; left out when not valid. */
  launch: launchSchema.optional().catch(undefined),
});

/** The Telegram user initData names; read only once auth has checked Telegram's signature on it. */
const telegramUserOf = (initData: string): { id: number; languageCode: unknown } | undefined => {
  try {
    const user = JSON.parse(new URLSearchParams(initData).get('user') ?? 'null') as {
      id?: unknown;
      language_code?: unknown;
    } | null;
    const id = user?.id;
    return Number.isSafeInteger(id) && (id as number) > 0
      ? { id: id as number, languageCode: user?.language_code }
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * `/signin`, `/register` (e-mail and password, then back to `?next=`), `POST /signout`,
 * `/account` (language, sign out) and `POST /session/telegram {initData}` (a Mini App's sign-in:
 * its own session and cookie, see session/sessions.ts).
 */
export function registerAccountRoutes(app: ServiceApp, deps: AccountDeps): void {
  const { auth, sessions } = deps;

  for (const mode of ['signIn', 'register'] as const) {
    const path = mode === 'signIn' ? '/signin' : '/register';
    app.get(path, async (c) => {
      const frame = await frameOf(c, deps);
      return render(c, <CredentialsPage frame={frame} mode={mode} next={localPath(c.req.query('next'))} />);
    });
    app.post(path, async (c) => {
      const frame = await frameOf(c, deps);
      const field = await formOf(c);
      const [email, password, next] = [field('email').trim(), field('password'), localPath(field('next'))];
      try {
        if (mode === 'register') await auth.register(email, password, deps.callerOf(c));
        await sessions.signIn(c, await auth.login(email, password, deps.callerOf(c)));
      } catch (error) {
        const problem = refusalOf(error, frame.lang, mode);
        if (problem === undefined) throw error;
        const status = (error as ServiceAnswer).status === 429 ? 429 : 400;
        return render(
          c,
          <CredentialsPage frame={frame} mode={mode} next={next} email={email} problem={problem} />,
          status,
        );
      }
      return c.redirect(next, 303);
    });
  }

  app.post('/signout', async (c) => {
    await sessions.signOut(c);
    return c.redirect('/', 303);
  });

  app.get('/account', async (c) => {
    if ((await sessions.accessToken(c)) === undefined) return toSignIn(c, '/account');
    return render(c, <AccountPage frame={await frameOf(c, deps)} />);
  });

  app.post('/account/language', async (c) => {
    const lang = (await formOf(c))('lang');
    if (isLanguage(lang)) rememberLanguage(c, lang);
    return c.redirect('/account', 303);
  });

  app.post('/session/telegram', async (c) => {
    const body = initDataBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) {
      return c.json({ error: { code: 'validation_error', message: 'Send {"initData": "…"}' } }, 400);
    }
    try {
      const pair = await auth.miniApp(body.data.initData, deps.callerOf(c));
      const user = telegramUserOf(body.data.initData);
      // Auth found a user in it, or it would have refused: nothing else can be.
      if (user === undefined) throw new Error('auth accepted initData without a user');
      await sessions.signInMiniApp(c, pair, user.id, body.data.launch);
      adoptLanguage(c, user.languageCode);
    } catch (error) {
      if (!(error instanceof ServiceAnswer)) throw error;
      if (error.status === 429) {
        return c.json(
          { error: { code: 'too_many_requests', message: 'Too many sign-ins; try again later' } },
          429,
        );
      }
      return c.json(
        {
          error: { code: 'invalid_init_data', message: 'Telegram did not sign this initData for this shop' },
        },
        401,
      );
    }
    return c.body(null, 204);
  });
}
