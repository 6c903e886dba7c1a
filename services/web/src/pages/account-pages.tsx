import { texts } from '../texts.ts';
import { Layout, type PageFrame } from './layout.tsx';

export interface CredentialsPageProps {
  frame: PageFrame;
  mode: 'signIn' | 'register';
  /** Where to go once signed in (a path of this site). */
  next: string;
  email?: string;
  /** A sentence saying why the last try failed. */
  problem?: string;
}

const withNext = (path: string, next: string) =>
  next === '/' ? path : `${path}?${new URLSearchParams({ next }).toString()}`;

/** `/signin` and `/register`: e-mail and password, and the way to the other one. */
export function CredentialsPage({ frame, mode, next, email, problem }: CredentialsPageProps) {
  const t = texts[frame.lang];
  const title = mode === 'signIn' ? t.signIn : t.register;
  const action = mode === 'signIn' ? '/signin' : '/register';
  return (
    <Layout {...frame} title={title} back="/">
      <h1>{title}</h1>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <form class="stack" method="post" action={action}>
        <input type="hidden" name="next" value={next} />
        <label>
          {t.email}
          <input
            type="email"
            name="email"
            value={email ?? ''}
            autocomplete="email"
            required
            maxlength={254}
          />
        </label>
        <label>
          {mode === 'signIn' ? t.password : t.newPassword}
          <input
            type="password"
            name="password"
            autocomplete={mode === 'signIn' ? 'current-password' : 'new-password'}
            required
            minlength={mode === 'signIn' ? undefined : 8}
            maxlength={1024}
          />
        </label>
        <button type="submit">{title}</button>
      </form>
      <p>
        {mode === 'signIn' ? t.noAccount : t.haveAccount}{' '}
        <a href={withNext(mode === 'signIn' ? '/register' : '/signin', next)}>
          {mode === 'signIn' ? t.register : t.signIn}
        </a>
      </p>
    </Layout>
  );
}

/** `/account`: the language the pages speak, and signing out. */
export function AccountPage({ frame }: { frame: PageFrame }) {
  const t = texts[frame.lang];
  return (
    <Layout {...frame} title={t.account} back="/">
      <h1>{t.account}</h1>
      <p>{t.signedInAs}</p>
      <form class="row" method="post" action="/account/language">
        <label>
          {t.language}{' '}
          <select name="lang">
            <option value="en" selected={frame.lang === 'en'}>
              English
            </option>
            <option value="ru" selected={frame.lang === 'ru'}>
              Русский
            </option>
          </select>
        </label>
        <button type="submit">{t.save}</button>
      </form>
      <form method="post" action="/signout">
        <button type="submit">{t.signOut}</button>
      </form>
    </Layout>
  );
}
