import { describe, expect, it } from 'vitest';
import type { AccessClaims } from '../src/auth/claims.ts';
import { rememberVerifiedTokens } from '../src/auth/verified-tokens.ts';
import { unauthorized } from '../src/errors/index.ts';

const claimsUntil = (expSeconds: number): AccessClaims => ({
  sub: crypto.randomUUID(),
  role: 'user',
  jti: crypto.randomUUID(),
  exp: expSeconds,
});

/** A verifier that accepts the tokens in `valid` and counts its signature checks. */
function countingVerifier(valid: Map<string, AccessClaims>) {
  const checks: string[] = [];
  const verify = async (token: string) => {
    checks.push(token);
    const claims = valid.get(token);
    if (!claims) throw unauthorized('Access token is invalid');
    return claims;
  };
  return { verify, checks };
}

describe('rememberVerifiedTokens', () => {
  it('checks a token once and then answers from memory with the same claims', async () => {
    let now = 1_000_000;
    const claims = claimsUntil(now / 1_000 + 900);
    const { verify, checks } = countingVerifier(new Map([['a', claims]]));
    const remembered = rememberVerifiedTokens(verify, { now: () => now });

    expect(await remembered('a')).toBe(claims);
    now += 30_000;
    expect(await remembered('a')).toBe(claims);
    expect(checks).toEqual(['a']);
  });

  it('checks again after ttlMs, and never trusts a remembered token past its exp', async () => {
    let now = 1_000_000;
    const shortLived = claimsUntil(now / 1_000 + 10);
    const longLived = claimsUntil(now / 1_000 + 900);
    const valid = new Map([
      ['short', shortLived],
      ['long', longLived],
    ]);
    const { verify, checks } = countingVerifier(valid);
    const remembered = rememberVerifiedTokens(verify, { ttlMs: 60_000, now: () => now });
    await remembered('short');
    await remembered('long');

    now += 10_000;
    // The real verifier now refuses the expired token: memory must not answer in its place.
    valid.delete('short');
    await expect(remembered('short')).rejects.toMatchObject({ status: 401 });
    now += 50_000;
    await remembered('long');
    expect(checks).toEqual(['short', 'long', 'short', 'long']);
  });

  it('does not remember a refused token', async () => {
    const { verify, checks } = countingVerifier(new Map());
    const remembered = rememberVerifiedTokens(verify);
    await expect(remembered('bad')).rejects.toMatchObject({ status: 401 });
    await expect(remembered('bad')).rejects.toMatchObject({ status: 401 });
    expect(checks).toEqual(['bad', 'bad']);
  });

  it('forgets the oldest token when full', async () => {
    const exp = Date.now() / 1_000 + 900;
    const valid = new Map(['a', 'b', 'c'].map((token) => [token, claimsUntil(exp)]));
    const { verify, checks } = countingVerifier(valid);
    const remembered = rememberVerifiedTokens(verify, { maxEntries: 2 });
    for (const token of ['a', 'b', 'c', 'c', 'b', 'a']) await remembered(token);
    expect(checks).toEqual(['a', 'b', 'c', 'a']);
  });
});
