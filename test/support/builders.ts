/** Small builders for request bodies, based on the worked example so every test starts from a call that works. */
import type { CallFields } from '../../server/calls/types.ts';
import { d2n2HealthAndWellbeingCall } from '../../server/demo/d2n2.ts';

let sequence = 0;
const DAY = 24 * 3600 * 1000;

/** A call body that can be published: D2N2's, opened yesterday, closing in 30 days, with a fresh reference. */
export function aCallBody(overrides: Partial<CallFields> = {}): CallFields {
  sequence += 1;
  const now = Date.now();
  const base = d2n2HealthAndWellbeingCall(
    new Date(now - DAY),
    new Date(now + 30 * DAY),
    `OC08S17P${String(1000 + sequence).padStart(4, '0')}`,
  );
  return { ...base, ...overrides };
}
