/** Reset links made straight in the database, with a token the test knows (the service keeps only its hash). */
import type { Knex } from 'knex';
import { hashResetToken, newResetToken, RESET_LINK_LIFETIME_MS } from '../../server/identity/passwordService.ts';

/** A usable reset link for the user, made at `createdAt` (now unless given); answers its token. */
export async function aResetLink(
  knex: Knex,
  userId: string,
  options: { token?: string; createdAt?: Date } = {},
): Promise<string> {
  const token = options.token ?? newResetToken();
  const createdAt = options.createdAt ?? new Date();
  await knex('password_resets').insert({
    userId,
    tokenHash: hashResetToken(token),
    createdAt,
    expiresAt: new Date(createdAt.getTime() + RESET_LINK_LIFETIME_MS),
  });
  return token;
}
