import { z } from 'zod';

export const roles = ['user', 'admin'] as const;
export type Role = (typeof roles)[number];

/** What an access token says about its bearer, after verification. */
export const accessClaimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(roles),
  jti: z.string().min(1),
  exp: z.number(),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;

/** JOSE `typ` header of access tokens (RFC 9068), so no other JWT passes as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';
