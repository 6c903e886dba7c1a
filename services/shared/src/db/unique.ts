import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppError } from '../errors/index.ts';

/**
 * Flushes, turning a unique-index violation into `conflict` (a 409): the index, not a prior
 * read, decides races such as two concurrent registrations with one e-mail.
 */
export async function flushOrConflict(em: EntityManager, conflict: () => AppError): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw conflict();
    throw error;
  }
}
