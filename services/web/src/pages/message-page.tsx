import { texts } from '../texts.ts';
import { Layout, type PageFrame } from './layout.tsx';

export type Message = 'notFound' | 'unavailable' | 'error' | 'forbidden';

/** A page that only says what went wrong (404, 503, 500), with the way back to the catalog. */
export function MessagePage({ frame, message }: { frame: PageFrame; message: Message }) {
  const t = texts[frame.lang];
  return (
    <Layout {...frame} title={t[`${message}Title`]} back="/">
      <h1>{t[`${message}Title`]}</h1>
      <p>{t[message]}</p>
      <p>
        <a href="/">{t.backToCatalog}</a>
      </p>
    </Layout>
  );
}
