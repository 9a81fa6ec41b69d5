/** Password hashing with argon2id. */
import argon2 from 'argon2';

/** Hashes a password for storage. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Checked against when the e-mail is unknown, so both failures take the same time.
const decoyHash = hashPassword('decoy password that matches nothing');

/** True when `password` matches `hash`; with no hash, spends the same effort and answers false. */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (hash === undefined) {
    await argon2.verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}
