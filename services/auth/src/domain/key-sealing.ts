import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';

/**
 * A private JWK encrypted with AES-256-GCM under JWT_KEY_ENCRYPTION_KEY, as it is stored in
 * `signing_keys.private_jwk`. The key id is bound in as associated data, so a sealed key moved
 * to another row does not open.
 */
export interface SealedJwk {
  sealed: 'A256GCM';
  iv: string;
  tag: string;
  data: string;
}

export const isSealed = (value: unknown): value is SealedJwk =>
  typeof value === 'object' && value !== null && (value as { sealed?: unknown }).sealed === 'A256GCM';

export function sealJwk(jwk: JWK, encryptionKey: Buffer, kid: string): SealedJwk {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv).setAAD(Buffer.from(kid));
  const data = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
  return {
    sealed: 'A256GCM',
    iv: iv.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
    data: data.toString('base64url'),
  };
}

/** Opens a sealed JWK; throws when `encryptionKey` is not the key it was sealed with. */
export function openJwk(sealed: SealedJwk, encryptionKey: Buffer, kid: string): JWK {
  try {
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(sealed.iv, 'base64url'))
      .setAAD(Buffer.from(kid))
      .setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as JWK;
  } catch {
    throw new Error(
      `JWT_KEY_ENCRYPTION_KEY does not decrypt the signing key ${kid} stored in the auth database: ` +
        'it is not the key that encrypted it. Set JWT_KEY_ENCRYPTION_KEY to that key.',
    );
  }
}
