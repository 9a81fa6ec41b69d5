import { expect } from 'chai';
import { comparisonBarChart, escapeXml, scoreBarChart } from '../../../server/web/charts.ts';

function widths(svg: string): number[] {
  return [...svg.matchAll(/<rect x="170" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
}

describe('SVG charts', () => {
  const allocation = {
    id: 'esf-chart',
    title: 'ESF requested against allocation',
    description: 'Priority 1.1: £450,000.00 requested of £800,000.00.',
    valueName: 'ESF requested',
    limitName: 'Allocation',
    rows: [
      { label: '1.1', value: 45_000_000, limit: 80_000_000, valueText: '£450,000.00', limitText: '£800,000.00' },
      { label: '2.1', value: 60_000_000, limit: 40_000_000, valueText: '£600,000.00', limitText: '£400,000.00' },
    ],
  };

  it('is an image named by its title and described by its description', () => {
    const svg = comparisonBarChart(allocation);
    expect(svg).to.match(/^<svg [^>]*role="img"/);
    expect(svg).to.contain('aria-labelledby="esf-chart-title esf-chart-desc"');
    expect(svg).to.contain('<title id="esf-chart-title">ESF requested against allocation</title>');
    expect(svg).to.contain('<desc id="esf-chart-desc">Priority 1.1: £450,000.00 requested of £800,000.00.</desc>');
  });

  it('draws each pair on one scale, the largest number the full width, and marks a value over its limit', () => {
    const svg = comparisonBarChart(allocation);
    // Allocation 1.1, requested 1.1, allocation 2.1, requested 2.1; £800,000 is the largest, so 380 wide.
    expect(widths(svg)).to.deep.equal([380, 213.8, 190, 285]);
    expect(svg).to.contain('£600,000.00 (over)');
    expect(svg).to.contain('fill="#d4351c"');
    expect(svg).to.contain('£800,000.00');
  });

  it('escapes every piece of text it is given', () => {
    const svg = comparisonBarChart({
      ...allocation,
      title: '<script>alert(1)</script>',
      rows: [{ label: '<b>"x"</b>', value: 1, limit: 2, valueText: "O'Brien & co", limitText: '2' }],
    });
    expect(svg).not.to.contain('<script>');
    expect(svg).not.to.contain('<b>');
    expect(svg).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).to.contain('O&#39;Brien &amp; co');
    expect(escapeXml('"<&>\'')).to.equal('&quot;&lt;&amp;&gt;&#39;');
  });

  it('refuses an id that could break out of its attribute', () => {
    expect(() => comparisonBarChart({ ...allocation, id: 'x" onload="alert(1)' })).to.throw(RangeError);
  });

  it('draws nothing out of range: zero, negative and non-finite values have no length; empty charts say so', () => {
    const svg = comparisonBarChart({
      ...allocation,
      rows: [{ label: 'a', value: -5, limit: Number.NaN, valueText: '-5', limitText: 'none' }],
    });
    expect(widths(svg)).to.deep.equal([0, 0]);
    expect(comparisonBarChart({ ...allocation, rows: [] })).to.contain('Nothing to show yet');
  });

  it('draws weighted scores on a fixed 0–100 scale, recommended bids solid and the rest outlined', () => {
    const svg = scoreBarChart({
      id: 'scores',
      title: 'Weighted scores',
      description: 'Two bids',
      max: 100,
      emphasisName: 'Recommended',
      otherName: 'Reserve',
      bars: [
        { label: 'OC08-001', value: 72.5, valueText: '72.5%', emphasis: true },
        { label: 'OC08-002 with a very long label indeed', value: 50, valueText: '50%' },
      ],
    });
    expect(widths(svg)).to.deep.equal([275.5, 190]);
    expect(svg).to.contain('OC08-002 with a very…');
    expect(svg).to.contain('>Recommended</text>');
    expect(svg).to.match(/width="275.5" height="20" fill="#1d70b8"/);
    expect(svg).to.match(/width="190" height="20" fill="#f3f2f1" stroke="#505a5f"/);
    // Gridlines at 0, 20, … 100.
    expect(svg.match(/<line /g)).to.have.length(6);
  });
});
