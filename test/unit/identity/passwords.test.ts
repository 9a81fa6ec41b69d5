import { expect } from 'chai';
import {
  DECOY_HASH,
  hashPassword,
  MAX_CONCURRENT_HASHES,
  passwordHashing,
  verifyPassword,
} from '../../../server/identity/passwords.ts';

/** "$argon2id$v=19$m=65536,p=4,t=3$salt$hash" → "argon2id v=19 m=65536,p=4,t=3", the parts that set its cost. */
function parameters(hash: string): string {
  const [, type, version, params] = hash.split('$');
  return `${type} ${version} ${params.split(',').sort().join(',')}`;
}

describe('passwords', () => {
  it('hashes with argon2id and checks a password against its hash', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash.startsWith('$argon2id$')).to.equal(true);
    expect(await verifyPassword(hash, 'correct horse battery staple')).to.equal(true);
    expect(await verifyPassword(hash, 'correct horse battery stapler')).to.equal(false);
  });

  it("checks an unknown e-mail's password against a decoy made with the same parameters, so it costs the same, and refuses it", async () => {
    expect(parameters(DECOY_HASH)).to.equal(parameters(await hashPassword('anything')));
    expect(await verifyPassword(undefined, 'decoy password that matches nothing')).to.equal(false);
    expect(await verifyPassword(undefined, '')).to.equal(false);
  });

  it('computes at most MAX_CONCURRENT_HASHES hashes at once in a process, the rest waiting their turn', async function () {
    this.timeout(30_000);
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, passwordHashing.active)), 1);
    const hashes = await Promise.all(Array.from({ length: 6 }, (_, i) => hashPassword(`passphrase number ${i}`)));
    clearInterval(watch);
    expect(new Set(hashes).size).to.equal(6);
    expect(most).to.equal(MAX_CONCURRENT_HASHES);
    expect(passwordHashing.active).to.equal(0);
  });
});
