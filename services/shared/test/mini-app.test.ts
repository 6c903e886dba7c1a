import { describe, expect, it } from 'vitest';
import { checkInitData, initDataKey, signInitData } from '../src/mini-app/index.ts';

const token = '123456789:AAbbCCdd-eeFF_test';
const key = initDataKey(token);
const now = 1_700_000_000;
const rules = { maxAgeSeconds: 3600, skewSeconds: 60, now };
const user = { id: 279058397, first_name: 'Vladislav', language_code: 'ru' };

const signed = (fields: Record<string, string> = {}) =>
  signInitData({ auth_date: String(now), query_id: 'AAHdF6IQ', user: JSON.stringify(user), ...fields }, key);

describe('Mini App initData', () => {
  it('accepts initData hashed as Telegram documents it (hash computed independently with openssl)', () => {
    // printf 'auth_date=…\nquery_id=…\nuser=…' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(
    //   printf '%s' "$TOKEN" | openssl dgst -sha256 -hmac WebAppData -binary | xxd -p -c 256)
    const userJson = '{"id":279058397,"first_name":"Vladislav","language_code":"ru"}';
    const initData = new URLSearchParams({
      query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
      user: userJson,
      auth_date: '1700000000',
      hash: '1d97f7d3b89f211d64286ad232ea95838f68da4c1357b8f92d95035e1aba7add',
    }).toString();
    expect(checkInitData(initData, key, rules)).toEqual({ ok: true, user, authDate: now });
  });

  it('signs what it checks, in whatever order the fields arrive, a `signature` field included', () => {
    const initData = signed({ signature: 'abc', chat_type: 'private' });
    const reordered = new URLSearchParams([...new URLSearchParams(initData)].reverse()).toString();
    expect(checkInitData(reordered, key, rules)).toMatchObject({ ok: true, authDate: now });
  });

  it('refuses initData signed with another bot token', () => {
    const other = signInitData(
      { auth_date: String(now), user: JSON.stringify(user) },
      initDataKey('1:other'),
    );
    expect(checkInitData(other, key, rules)).toEqual({ ok: false, reason: 'bad_hash' });
  });

  it('refuses initData whose user, or any other field, was changed after signing', () => {
    const params = new URLSearchParams(signed());
    params.set('user', JSON.stringify({ ...user, id: 1 }));
    expect(checkInitData(params.toString(), key, rules)).toEqual({ ok: false, reason: 'bad_hash' });
    const added = new URLSearchParams(signed());
    added.set('start_param', 'x');
    expect(checkInitData(added.toString(), key, rules)).toEqual({ ok: false, reason: 'bad_hash' });
  });

  it('refuses initData without a hash, with a malformed or doubled one, or with a field given twice', () => {
    const without = new URLSearchParams(signed());
    without.delete('hash');
    const doubledHash = `${signed()}&hash=${'0'.repeat(64)}`;
    const doubledUser = `${signed()}&user=${encodeURIComponent(JSON.stringify({ id: 1 }))}`;
    for (const initData of [
      without.toString(),
      `${without.toString()}&hash=XYZ`,
      doubledHash,
      doubledUser,
      '',
      'a',
    ])
      expect(checkInitData(initData, key, rules), initData).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses signed initData without a user, a user without a numeric id, or without auth_date', () => {
    const cases = [
      signInitData({ auth_date: String(now) }, key),
      signInitData({ auth_date: String(now), user: 'not json' }, key),
      signInitData({ auth_date: String(now), user: '{"id":"42"}' }, key),
      signInitData({ auth_date: String(now), user: '{"id":0}' }, key),
      signInitData({ user: JSON.stringify(user) }, key),
      signInitData({ auth_date: '17e8', user: JSON.stringify(user) }, key),
    ];
    for (const initData of cases)
      expect(checkInitData(initData, key, rules), initData).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses initData older than the limit or from beyond the allowed skew ahead', () => {
    expect(checkInitData(signed({ auth_date: String(now - 3600) }), key, rules).ok).toBe(true);
    expect(checkInitData(signed({ auth_date: String(now - 3601) }), key, rules)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(checkInitData(signed({ auth_date: String(now + 60) }), key, rules).ok).toBe(true);
    expect(checkInitData(signed({ auth_date: String(now + 61) }), key, rules)).toEqual({
      ok: false,
      reason: 'from_the_future',
    });
  });
});
