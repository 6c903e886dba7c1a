const DAY_MS = 86_400_000;

/** The refresh tokens of one sign-in: each rotation adds one, a reuse revokes them all. */
export interface Family {
  id: string;
  /** The first login of the family. */
  createdAt: Date;
}

/** A family lives `refreshTtlDays` (REFRESH_TOKEN_TTL_DAYS) from its first login, however often it is rotated. */
export const familyEnd = (family: Family, refreshTtlDays: number): Date =>
  new Date(family.createdAt.getTime() + refreshTtlDays * DAY_MS);

/**
 * When a refresh token stops working: at its own end or its family's, whichever comes first.
 * Both ends count: REFRESH_TOKEN_TTL_DAYS may have been lowered since the token was issued.
 */
export const refreshTokenEnd = (tokenExpiresAt: Date, family: Family, refreshTtlDays: number): Date =>
  new Date(Math.min(tokenExpiresAt.getTime(), familyEnd(family, refreshTtlDays).getTime()));
