import bcrypt from 'bcryptjs';

/** The shortest new password, in UTF-8 bytes. */
export const MIN_PASSWORD_BYTES = 8;

// Bytes, not characters: bcrypt reads at most 72 bytes, and a Cyrillic letter takes two.
export const passwordTooShort = (password: string): boolean =>
  Buffer.byteLength(password, 'utf8') < MIN_PASSWORD_BYTES;

/** True when bcrypt would silently ignore part of the password (over 72 bytes). */
export const passwordTooLongForBcrypt = (password: string): boolean => bcrypt.truncates(password);
