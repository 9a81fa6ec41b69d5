import { expect } from 'chai';
import { systemClock } from '../../../server/context.ts';
import {
  ABSOLUTE_LIMIT_MS,
  IDLE_LIMIT_MS,
  sessionClockOf,
  timeLimitReached,
} from '../../../server/identity/session.ts';

const NINE = Date.parse('2027-02-01T09:00:00Z');

describe('timeLimitReached: when a session must end', () => {
  it('keeps a session until 30 minutes pass without a request, and ends it at 30 minutes', () => {
    const session = { signedInAt: NINE, lastSeenAt: NINE + 60_000 };
    expect(timeLimitReached(session, NINE + 60_000 + IDLE_LIMIT_MS - 1)).to.equal(undefined);
    expect(timeLimitReached(session, NINE + 60_000 + IDLE_LIMIT_MS)).to.equal('idle');
  });

  it('ends a session 8 hours after sign-in, however recent its last request', () => {
    const session = { signedInAt: NINE, lastSeenAt: NINE + ABSOLUTE_LIMIT_MS - 1000 };
    expect(timeLimitReached(session, NINE + ABSOLUTE_LIMIT_MS - 1)).to.equal(undefined);
    expect(timeLimitReached(session, NINE + ABSOLUTE_LIMIT_MS)).to.equal('expired');
  });

  it('says 8 hours rather than idle when both have passed', () => {
    expect(timeLimitReached({ signedInAt: NINE, lastSeenAt: NINE }, NINE + ABSOLUTE_LIMIT_MS)).to.equal('expired');
  });

  it('ends a session that does not carry its times', () => {
    expect(timeLimitReached({}, NINE)).to.equal('expired');
    expect(timeLimitReached({ signedInAt: NINE }, NINE)).to.equal('expired');
    expect(timeLimitReached({ lastSeenAt: NINE }, NINE)).to.equal('expired');
  });
});

describe('sessionClockOf', () => {
  it("is the server's clock unless the context gives sessions their own", () => {
    const own = { now: () => new Date(NINE) };
    expect(sessionClockOf({ clock: systemClock } as never)).to.equal(systemClock);
    expect(sessionClockOf({ clock: systemClock, sessionClock: own } as never)).to.equal(own);
  });
});
