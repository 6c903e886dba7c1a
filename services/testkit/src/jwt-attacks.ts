import {
  SignJWT,
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
} from 'jose';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TYPE, type Role } from '@shop/shared';

/** The key a service trusts (auth's current signing key) and the claims its tokens carry. */
export interface TrustedKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half as the JWKS serves it: the HS256 confusion attacks use it as a secret. */
  publicJwk: JWK;
  issuer: string;
  audience: string;
}

/** A forged or broken access token that every protected route must answer with 401. */
export interface JwtAttack {
  name: string;
  forge: (key: TrustedKey, subject: { sub: string; role: Role }) => Promise<string>;
}

/** The `TrustedKey` of auth's key ring (`deps.keys` and `deps.tokens` of a running auth). */
export function trustedKeyOf(
  ring: { current: { kid: string; privateKey: CryptoKey }; jwks: JSONWebKeySet },
  tokens: { issuer: string; audience: string },
): TrustedKey {
  const publicJwk = ring.jwks.keys.find((jwk) => jwk.kid === ring.current.kid);
  if (!publicJwk) throw new Error(`the JWKS does not serve the current key ${ring.current.kid}`);
  return { ...ring.current, publicJwk, issuer: tokens.issuer, audience: tokens.audience };
}

const now = () => Math.floor(Date.now() / 1000);
const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

function claimsOf(key: TrustedKey, subject: { sub: string; role: Role }): JWTPayload {
  return {
    sub: subject.sub,
    role: subject.role,
    jti: crypto.randomUUID(),
    iss: key.issuer,
    aud: key.audience,
    iat: now(),
    exp: now() + 300,
  };
}

function sign(payload: JWTPayload, header: Partial<JWTHeaderParameters>, signingKey: CryptoKey | Uint8Array) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, ...header })
    .sign(signingKey);
}

/** Signed with the trusted key, so the one thing wrong is what `change` does to the claims or header. */
const trustedWith =
  (
    change: (claims: JWTPayload) => JWTPayload,
    header: Partial<JWTHeaderParameters> = {},
  ): JwtAttack['forge'] =>
  (key, subject) =>
    sign(change(claimsOf(key, subject)), { kid: key.kid, ...header }, key.privateKey);

/**
 * The control: a token made exactly the way the attacks make theirs, with nothing wrong. A route
 * must accept it, or the attacks prove nothing.
 */
export const signValidToken: JwtAttack['forge'] = trustedWith((claims) => claims);

const without =
  (claim: string) =>
  (claims: JWTPayload): JWTPayload =>
    Object.fromEntries(Object.entries(claims).filter(([name]) => name !== claim));

/** A key pair the service has never seen. */
const strangerKey = async () =>
  generateKeyPair(ACCESS_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });

/** A valid token with its header replaced by `header` and the original signature kept. */
async function reheadered(key: TrustedKey, subject: { sub: string; role: Role }, header: object) {
  const [, payload, signature] = (await signValidToken(key, subject)).split('.');
  return `${encode(header)}.${payload!}.${signature!}`;
}

/**
 * The JWT attacks every protected route must refuse: algorithm confusion, missing or wrong
 * claims, tampering, foreign keys and malformed tokens. One list, run against auth's verifier
 * and against every protected route of every service.
 */
export const jwtAttacks: readonly JwtAttack[] = [
  {
    name: 'alg none',
    forge: async (key, subject) =>
      `${encode({ alg: 'none', typ: ACCESS_TOKEN_TYPE, kid: key.kid })}.${encode(claimsOf(key, subject))}.`,
  },
  {
    name: 'HS256 signed with the raw public key as the secret',
    forge: (key, subject) =>
      sign(claimsOf(key, subject), { alg: 'HS256', kid: key.kid }, base64url.decode(key.publicJwk.x ?? '')),
  },
  {
    name: 'HS256 signed with the public key PEM as the secret',
    forge: async (key, subject) => {
      const publicKey = (await importJWK(key.publicJwk, ACCESS_TOKEN_ALGORITHM)) as CryptoKey;
      const pem = new TextEncoder().encode(await exportSPKI(publicKey));
      return sign(claimsOf(key, subject), { alg: 'HS256', kid: key.kid }, pem);
    },
  },
  {
    name: 'a token that expired a minute ago',
    forge: trustedWith((claims) => ({ ...claims, iat: now() - 960, exp: now() - 60 })),
  },
  { name: 'a token without exp', forge: trustedWith(without('exp')) },
  { name: 'a token without sub', forge: trustedWith(without('sub')) },
  { name: 'a token without jti', forge: trustedWith(without('jti')) },
  { name: 'a token not valid yet', forge: trustedWith((claims) => ({ ...claims, nbf: now() + 600 })) },
  { name: 'another issuer', forge: trustedWith((claims) => ({ ...claims, iss: 'evil-auth' })) },
  { name: 'another audience', forge: trustedWith((claims) => ({ ...claims, aud: 'other-shop' })) },
  { name: 'an unknown role', forge: trustedWith((claims) => ({ ...claims, role: 'superuser' })) },
  { name: 'typ JWT', forge: trustedWith((claims) => claims, { typ: 'JWT' }) },
  { name: 'typ id+jwt', forge: trustedWith((claims) => claims, { typ: 'id+jwt' }) },
  {
    name: 'no typ',
    forge: async (key, subject) =>
      new SignJWT(claimsOf(key, subject))
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid })
        .sign(key.privateKey),
  },
  {
    name: 'a payload changed after signing (another user, admin)',
    forge: async (key, subject) => {
      const [header, payload, signature] = (await signValidToken(key, subject)).split('.');
      const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!))) as JWTPayload;
      return `${header!}.${encode({ ...claims, sub: crypto.randomUUID(), role: 'admin' })}.${signature!}`;
    },
  },
  {
    name: 'the signature stripped',
    forge: async (key, subject) => {
      const [header, payload] = (await signValidToken(key, subject)).split('.');
      return `${header!}.${payload!}.`;
    },
  },
  {
    name: 'a foreign key claiming our kid',
    forge: async (key, subject) =>
      sign(claimsOf(key, subject), { kid: key.kid }, (await strangerKey()).privateKey),
  },
  {
    name: 'a foreign key under an unknown kid',
    forge: async (key, subject) =>
      sign(
        claimsOf(key, subject),
        { kid: `unknown-${crypto.randomUUID()}` },
        (await strangerKey()).privateKey,
      ),
  },
  {
    name: 'a foreign key embedded in the header (jwk)',
    forge: async (key, subject) => {
      const stranger = await strangerKey();
      const jwk = await exportJWK(stranger.publicKey);
      return sign(claimsOf(key, subject), { jwk }, stranger.privateKey);
    },
  },
  {
    name: 'a jku pointing at the attacker',
    forge: async (key, subject) =>
      sign(
        claimsOf(key, subject),
        { kid: key.kid, jku: 'http://evil.test/jwks.json' },
        (await strangerKey()).privateKey,
      ),
  },
  {
    name: 'a kid that is a number',
    forge: (key, subject) =>
      reheadered(key, subject, { alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: 42 }),
  },
  {
    name: 'a kid that is an object',
    forge: (key, subject) =>
      reheadered(key, subject, { alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: { $ne: null } }),
  },
  {
    name: 'a crit header naming an unknown extension',
    forge: (key, subject) =>
      reheadered(key, subject, {
        alg: ACCESS_TOKEN_ALGORITHM,
        typ: ACCESS_TOKEN_TYPE,
        kid: key.kid,
        crit: ['exp2'],
        exp2: true,
      }),
  },
  { name: 'three dots of garbage', forge: async () => 'not.a.jwt' },
  { name: 'a refresh token instead', forge: async () => `rt_${'A'.repeat(43)}` },
  { name: 'an empty JSON header and payload', forge: async () => 'e30.e30.' },
];
