/** Queries for password-reset links, a user's password and the ending of a person's sessions. */
import type { Knex } from 'knex';

/** The user a reset link was made for: where its e-mail goes. */
export interface ResetRecipient {
  userId: string;
  email: string;
  name: string;
}

/**
 * Makes the reset link whose token hashes to `tokenHash` for the user with `email` (compared without regard to
 * case), deleting that user's earlier links, so only the newest works. The same statements whether or not the address
 * has an account: they find the user as they insert, and for an unknown address insert nothing and answer undefined.
 */
export async function replaceResetLink(
  trx: Knex.Transaction,
  email: string,
  link: { tokenHash: string; createdAt: Date; expiresAt: Date },
): Promise<ResetRecipient | undefined> {
  // The user's row locked first, so two requests at once for one person run one after the other and the second's
  // statement (its own snapshot, taken after the lock) deletes the first's link: never two usable links.
  await trx.raw('select id from users where lower(email) = lower(?) for update', [email]);
  const result = await trx.raw(
    `with target as (select id, email, name from users where lower(email) = lower(?)),
          earlier as (delete from password_resets where user_id in (select id from target)),
          made as (insert into password_resets (user_id, token_hash, created_at, expires_at)
                   select id, ?, ?, ? from target returning user_id)
     select t.id, t.email, t.name from target t join made m on m.user_id = t.id`,
    [email, link.tokenHash, link.createdAt, link.expiresAt],
  );
  const row = (result.rows as { id: string; email: string; name: string }[])[0];
  return row && { userId: row.id, email: row.email, name: row.name };
}

/** Whether a link with this token hash exists, is unused and has not expired at `now`. */
export async function usableResetExists(knex: Knex, tokenHash: string, now: Date): Promise<boolean> {
  const row = await knex('password_resets')
    .where({ tokenHash })
    .whereNull('usedAt')
    .where('expiresAt', '>', now)
    .first('id');
  return row !== undefined;
}

/**
 * Marks the link used and answers its user's id, if it was still usable at `now`. A single conditional update: of
 * two requests with the same token, the second waits for the first's row lock and then finds it used.
 */
export async function claimResetLink(trx: Knex.Transaction, tokenHash: string, now: Date): Promise<string | undefined> {
  const rows: { userId: string }[] = await trx('password_resets')
    .where({ tokenHash })
    .whereNull('usedAt')
    .where('expiresAt', '>', now)
    .update({ usedAt: now })
    .returning('userId');
  return rows[0]?.userId;
}

/** Stores a new password hash and moves the user's session generation on; answers the new generation. */
export async function setPassword(
  trx: Knex.Transaction,
  userId: string,
  passwordHash: string,
  now: Date,
): Promise<{ generation: number; email: string; name: string }> {
  const rows: { sessionGeneration: number; email: string; name: string }[] = await trx('users')
    .where({ id: userId })
    .update({ passwordHash, sessionGeneration: trx.raw('session_generation + 1'), updatedAt: now })
    .returning(['sessionGeneration', 'email', 'name']);
  if (rows.length === 0) throw new Error(`No user ${userId} to set the password of`);
  return { generation: rows[0].sessionGeneration, email: rows[0].email, name: rows[0].name };
}

/** The user's current session generation (0 for a user that does not exist: no session of theirs will match). */
export async function sessionGenerationOf(knex: Knex, userId: string): Promise<number> {
  const row: { sessionGeneration: number } | undefined = await knex('users')
    .where({ id: userId })
    .first('sessionGeneration');
  return row?.sessionGeneration ?? 0;
}

/** Deletes every stored session of the user but `keepSid`'s; answers how many went. */
export async function deleteSessionsOf(trx: Knex.Transaction, userId: string, keepSid?: string): Promise<number> {
  // Matched on the expression the sessions_user_id index is built on.
  const query = trx('sessions').whereRaw(`sess ->> 'userId' = ?`, [userId]);
  if (keepSid !== undefined) query.whereNot({ sid: keepSid });
  return query.delete();
}

/** Writes the generation into one stored session (the one that changed the password), so it stays valid. */
export async function setSessionGeneration(trx: Knex.Transaction, sid: string, generation: number): Promise<void> {
  await trx.raw(
    `update sessions set sess = jsonb_set(sess::jsonb, '{generation}', to_jsonb(?::int))::json where sid = ?`,
    [generation, sid],
  );
}
