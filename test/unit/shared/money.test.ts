import { expect } from 'chai';
import { formatPounds, parsePounds } from '../../../server/shared/money.ts';

describe('money', () => {
  it('formats pence as pounds with thousands separators', () => {
    expect(formatPounds(49_999_999)).to.equal('£499,999.99');
    expect(formatPounds(50_000_000)).to.equal('£500,000.00');
    expect(formatPounds(5)).to.equal('£0.05');
    expect(formatPounds(-150)).to.equal('-£1.50');
  });

  it('refuses to format anything but whole pence', () => {
    expect(() => formatPounds(1.5)).to.throw(TypeError);
  });

  it('reads money as people type it, exactly', () => {
    expect(parsePounds('£500,000')).to.equal(50_000_000);
    expect(parsePounds('500000.00')).to.equal(50_000_000);
    expect(parsePounds(' 499,999.99 ')).to.equal(49_999_999);
    expect(parsePounds('0.10')).to.equal(10);
  });

  it('answers a typo with null instead of guessing', () => {
    for (const typo of ['1,234.5', '12,34', '£', '5oo', '1.234', '-5', '1e6', '']) {
      expect(parsePounds(typo), typo).to.equal(null);
    }
  });
});
