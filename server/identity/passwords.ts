/** Password hashing with argon2id. */
import argon2 from 'argon2';
import { Semaphore } from '../concurrency.ts';

/** Hashes one process computes at once: each takes 64 MiB and a core, so a burst waits its turn instead. */
export const MAX_CONCURRENT_HASHES = 2;

/** The hashes and checks running in this process; the rest wait. */
export const passwordHashing = new Semaphore(MAX_CONCURRENT_HASHES);

/** Hashes a password for storage. */
export function hashPassword(password: string): Promise<string> {
  return passwordHashing.run(() => argon2.hash(password, { type: argon2.argon2id }));
}

/**
 * Checked against when the e-mail is unknown, so both failures take the same time: a hash of a password that is
 * not kept, with the parameters `hashPassword` uses (a test holds it to them). Written here rather than computed
 * at start: computing it costs an argon2 hash's memory as the process starts, and a sign-in at that moment doubles
 * it (found by `npm run bench`: the server's peak RSS came from start-up, not from any download).
 */
export const DECOY_HASH =
  '$argon2id$v=19$m=65536,p=4,t=3$ZRlXSE28qJ9SN/4L6++NGw$JdqwWEVwE6BYCIjd+j1uUGup7tlqeKZlazY0eNJg8xQ';

/** True when `password` matches `hash`; with no hash, spends the same effort and answers false. */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (hash === undefined) {
    await passwordHashing.run(() => argon2.verify(DECOY_HASH, password)).catch(() => false);
    return false;
  }
  return passwordHashing.run(() => argon2.verify(hash, password)).catch(() => false);
}
