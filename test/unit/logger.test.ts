import { expect } from 'chai';
import { withoutSecrets } from '../../server/logger.ts';

describe('the log leaves out secrets', () => {
  it('replaces every secret-named key down to three levels, in objects and arrays', () => {
    const logged = {
      password: 'p1',
      user: { newPassword: 'p2', name: 'Ann' },
      req: { headers: { cookie: 'c', authorization: 'a', 'set-cookie': ['s'], accept: '*/*' } },
      sent: [{ token: 't' }],
    };
    expect(withoutSecrets(logged)).to.deep.equal({
      password: '[redacted]',
      user: { newPassword: '[redacted]', name: 'Ann' },
      req: {
        headers: { cookie: '[redacted]', authorization: '[redacted]', 'set-cookie': '[redacted]', accept: '*/*' },
      },
      sent: [{ token: '[redacted]' }],
    });
    // What was logged is not changed under the caller.
    expect(logged.password).to.equal('p1');
    expect(logged.req.headers.cookie).to.equal('c');
  });

  it('answers the same object when there is no secret in it, so a request line is not copied', () => {
    const line = { method: 'GET', route: '/api/v1/calls/:id', status: 200, durationMs: 3, userId: null };
    expect(withoutSecrets(line)).to.equal(line);
  });

  it('stops past three levels, where nothing the server logs reaches', () => {
    const deep = { a: { b: { c: { d: { password: 'p' } } } } };
    expect(withoutSecrets(deep)).to.equal(deep);
  });
});
