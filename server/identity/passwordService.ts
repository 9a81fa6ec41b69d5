/**
 * Passwords forgotten and changed: a reset link by e-mail (an hour, once, only its hash kept), and a change by the
 * signed-in person. Either ends the person's other sessions: their rows go, and their session generation moves on so
 * a row that comes back is refused as well (session.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor, AppContext } from '../context.ts';
import { NotFound, Validation } from '../errors.ts';
import type { User } from '../models/identity.ts';
import { mailLink, queueMail, type MailToQueue } from '../mail/outbox.ts';
import { validate } from '../validation.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import * as passwords from './passwordRepository.ts';
import { findUserById } from './repository.ts';

/** How long a reset link works. */
export const RESET_LINK_LIFETIME_MS = 60 * 60 * 1000;

/** What a request for a reset link is answered, whatever the address and whether or not anything was sent. */
export const RESET_REQUESTED = {
  message:
    'If there is an account with that e-mail address, we have sent it a link to reset the password. ' +
    'The link works for 1 hour.',
};

/** A new link's token: 256 random bits, URL-safe. */
export function newResetToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a token: its SHA-256, in hex. */
export function hashResetToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Someone asks for a reset link for an e-mail address. Whether or not the address has an account, the same
 * statements run and the same answer comes back: for an account a link is made (its earlier links deleted, so only
 * the newest works) and e-mailed; an address without one is e-mailed that it has none. `admit` is the throttle: it
 * refuses a client asking too often (429), and answers false for an address asked for too often: nothing is sent.
 */
export async function requestPasswordReset(
  ctx: AppContext,
  body: unknown,
  admit: (email: string) => Promise<boolean>,
): Promise<void> {
  const { email } = validate<{ email: string }>('password-reset.request.schema.json', body);
  if (!(await admit(email))) return;
  const token = newResetToken();
  const createdAt = ctx.clock.now();
  const expiresAt = new Date(createdAt.getTime() + RESET_LINK_LIFETIME_MS);
  await ctx.knex.transaction(async (trx) => {
    const recipient = await passwords.replaceResetLink(trx, email, {
      tokenHash: hashResetToken(token),
      createdAt,
      expiresAt,
    });
    // An address with no account is told so, to the address typed: the same statements as for an account, and a
    // person who typed the address they did not sign up with learns it.
    await queueMail(
      ctx,
      trx,
      recipient
        ? {
            to: recipient.email,
            template: 'password-reset',
            data: { name: recipient.name, link: mailLink(ctx, `/reset-password/${token}`) },
          }
        : {
            to: email,
            template: 'password-reset-no-account',
            data: { email, forgotLink: mailLink(ctx, '/forgot-password'), registerLink: mailLink(ctx, '/register') },
          },
    );
  });
}

/** The notice to a person whose password has just been changed, by a reset or by themselves. */
function passwordChangedMail(ctx: AppContext, to: { email: string; name: string }, changedAt: Date): MailToQueue {
  return {
    to: to.email,
    template: 'password-changed',
    data: { name: to.name, changedAt, forgotLink: mailLink(ctx, '/forgot-password') },
  };
}

/** Whether a reset link still works; a 404 if it is unknown, used or expired. */
export async function checkResetLink(ctx: AppContext, token: string): Promise<void> {
  if (!(await passwords.usableResetExists(ctx.knex, hashResetToken(token), ctx.clock.now())))
    throw new NotFound('Password reset link');
}

/**
 * Someone with a reset link sets a new password (the rules of registration). The link is checked before the body
 * and before any hashing, so a made-up link costs no password hash. The link is used, the password stored and
 * every session of the person ended in one transaction; of two requests with one link, exactly one succeeds.
 */
export async function resetPassword(ctx: AppContext, token: string, body: unknown): Promise<User> {
  const tokenHash = hashResetToken(token);
  await checkResetLink(ctx, token);
  const { password } = validate<{ password: string }>('password-reset.schema.json', body);
  const passwordHash = await hashPassword(password);
  const userId = await ctx.knex.transaction(async (trx) => {
    const now = ctx.clock.now();
    const claimed = await passwords.claimResetLink(trx, tokenHash, now);
    // Used by another request meanwhile, or expired while the password was hashed.
    if (!claimed) throw new NotFound('Password reset link');
    const changed = await passwords.setPassword(trx, claimed, passwordHash, now);
    await passwords.deleteSessionsOf(trx, claimed);
    await queueMail(ctx, trx, passwordChangedMail(ctx, changed, now));
    return claimed;
  });
  return (await findUserById(ctx.knex, userId))!;
}

export interface PasswordChanged {
  /** The user's new session generation, which the changing session now holds. */
  generation: number;
  /** How many of the person's other sessions were ended. */
  otherSessionsEnded: number;
}

/**
 * The signed-in person changes their password, giving the current one. A wrong current password is a 422 (and a
 * failure the sign-in throttle counts: `succeeded` gives the attempt back when it was right). The session `sid`
 * stays, with the new generation written into its row in the same transaction; every other session of theirs ends.
 */
export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  sid: string,
  body: unknown,
  succeeded: () => Promise<void>,
): Promise<PasswordChanged> {
  const input = validate<{ currentPassword: string; newPassword: string }>('password.change.schema.json', body);
  const user = await findUserById(ctx.knex, actor.id);
  if (!(await verifyPassword(user?.passwordHash, input.currentPassword)) || !user)
    throw new Validation('The current password is not right', [
      { path: '/currentPassword', message: 'The current password is not right' },
    ]);
  await succeeded();
  const passwordHash = await hashPassword(input.newPassword);
  return ctx.knex.transaction(async (trx) => {
    const now = ctx.clock.now();
    const changed = await passwords.setPassword(trx, user.id, passwordHash, now);
    const otherSessionsEnded = await passwords.deleteSessionsOf(trx, user.id, sid);
    await passwords.setSessionGeneration(trx, sid, changed.generation);
    await queueMail(ctx, trx, passwordChangedMail(ctx, changed, now));
    return { generation: changed.generation, otherSessionsEnded };
  });
}
