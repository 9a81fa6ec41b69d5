import { expect } from 'chai';
import { errorBody, toAppError } from '../../server/errors.ts';

describe('errors', () => {
  it('never names a database constraint in an answer, only the few people can act on, in words', () => {
    const check = errorBody(
      toAppError({
        code: '23514',
        constraint: 'attachments_size_matches',
        message: 'new row violates check constraint',
      }),
    );
    expect(JSON.stringify(check)).not.to.contain('attachments_size_matches');
    expect(check.error.details).to.deep.equal([{ path: '', message: 'Breaks a rule of the data' }]);
    const unique = errorBody(toAppError({ nativeError: { code: '23505', constraint: 'bids_reference_unique' } }));
    expect(JSON.stringify(unique)).not.to.contain('bids_reference_unique');
    const email = errorBody(toAppError({ code: '23505', constraint: 'users_email_unique' }));
    expect(email.error.details).to.deep.equal([
      { path: '', message: 'An account with that e-mail address already exists' },
    ]);
  });
});
