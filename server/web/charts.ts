/**
 * Charts drawn on the server as SVG, so they need no JavaScript: pure functions from numbers to an SVG string.
 * Each chart is an image with a name and a description (`role="img"`, `<title>`, `<desc>`, `aria-labelledby`);
 * pages put the same numbers in a table beside it. Every piece of text is escaped here, so callers may pass
 * anything people wrote. Colours are GOV.UK's and keep 3:1 against white, as WCAG 1.4.11 asks of graphics.
 */

const COLOURS = {
  text: '#0b0c0c',
  primary: '#1d70b8',
  secondary: '#f3f2f1',
  outline: '#505a5f',
  over: '#d4351c',
  muted: '#505a5f',
};
const FONT = 'font-family="GDS Transport, arial, sans-serif"';
const WIDTH = 680;
const LABEL_WIDTH = 170;
const VALUE_WIDTH = 130;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
const MAX_LABEL_CHARS = 22;

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function checkId(id: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) throw new RangeError(`Chart id "${id}" must be letters, digits, - or _`);
}

/** A length on the plot for `value` of `max`: never negative, never past the plot, 0 for nonsense. */
function barLength(value: number, max: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(max) || max <= 0 || value <= 0) return 0;
  return Math.round((Math.min(value, max) / max) * PLOT_WIDTH * 10) / 10;
}

function shorten(label: string): string {
  return label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1).trimEnd()}…` : label;
}

function text(x: number, y: number, content: string, extra = ''): string {
  return `<text x="${x}" y="${y}" ${FONT} font-size="14" fill="${COLOURS.text}"${extra ? ` ${extra}` : ''}>${escapeXml(content)}</text>`;
}

function frame(id: string, title: string, description: string, height: number, body: string[]): string {
  checkId(id);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" width="100%" focusable="false">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
    ...body,
    '</svg>',
  ].join('');
}

export interface ComparisonRow {
  /** The category, e.g. a priority code. */
  label: string;
  /** The measured amount, e.g. ESF requested. */
  value: number;
  /** The limit it is compared against, e.g. the allocation. */
  limit: number;
  /** How people read each number ("£450,000.00"). */
  valueText: string;
  limitText: string;
}

export interface ComparisonChart {
  id: string;
  title: string;
  description: string;
  valueName: string;
  limitName: string;
  rows: ComparisonRow[];
}

/**
 * Horizontal paired bars, one pair per row: the limit as an outlined bar, the value as a solid one beneath it,
 * red when it goes over the limit. Both share one scale (the largest number of any row).
 */
export function comparisonBarChart(chart: ComparisonChart): string {
  const max = Math.max(0, ...chart.rows.flatMap((row) => [row.value, row.limit]).filter(Number.isFinite));
  const legendHeight = 34;
  const rowHeight = 58;
  const height = legendHeight + Math.max(1, chart.rows.length) * rowHeight + 8;
  const body: string[] = [
    `<rect x="0" y="4" width="16" height="16" fill="${COLOURS.secondary}" stroke="${COLOURS.outline}" stroke-width="2"/>`,
    text(22, 17, chart.limitName),
    `<rect x="${WIDTH / 2}" y="4" width="16" height="16" fill="${COLOURS.primary}"/>`,
    text(WIDTH / 2 + 22, 17, chart.valueName),
  ];
  chart.rows.forEach((row, i) => {
    const top = legendHeight + i * rowHeight;
    const limitLength = barLength(row.limit, max);
    const valueLength = barLength(row.value, max);
    const over = row.value > row.limit;
    body.push(text(0, top + 24, shorten(row.label)));
    body.push(
      `<rect x="${LABEL_WIDTH}" y="${top + 4}" width="${limitLength}" height="20" fill="${COLOURS.secondary}" stroke="${COLOURS.outline}" stroke-width="2"/>`,
      text(LABEL_WIDTH + limitLength + 6, top + 19, row.limitText),
      `<rect x="${LABEL_WIDTH}" y="${top + 28}" width="${valueLength}" height="20" fill="${over ? COLOURS.over : COLOURS.primary}"/>`,
      text(LABEL_WIDTH + valueLength + 6, top + 43, over ? `${row.valueText} (over)` : row.valueText),
    );
  });
  if (chart.rows.length === 0) body.push(text(LABEL_WIDTH, legendHeight + 30, 'Nothing to show yet'));
  return frame(chart.id, chart.title, chart.description, height, body);
}

export interface ScoreBar {
  label: string;
  value: number;
  valueText: string;
  /** Drawn solid blue when true (e.g. recommended for funding), outlined grey otherwise. */
  emphasis?: boolean;
}

export interface ScoreChart {
  id: string;
  title: string;
  description: string;
  /** The top of the scale (100 for percentages). */
  max: number;
  bars: ScoreBar[];
  /** Names for the two kinds of bar in the legend; no legend without them. */
  emphasisName?: string;
  otherName?: string;
}

/** Horizontal bars on a fixed 0–max scale, one per item, with gridlines at each fifth of the scale. */
export function scoreBarChart(chart: ScoreChart): string {
  const legendHeight = chart.emphasisName && chart.otherName ? 30 : 0;
  const axisHeight = 22;
  const rowHeight = 30;
  const plotTop = legendHeight + axisHeight;
  const height = plotTop + Math.max(1, chart.bars.length) * rowHeight + 6;
  const body: string[] = [];
  if (legendHeight > 0) {
    body.push(
      `<rect x="0" y="4" width="16" height="16" fill="${COLOURS.primary}"/>`,
      text(22, 17, chart.emphasisName!),
      `<rect x="${WIDTH / 2}" y="4" width="16" height="16" fill="${COLOURS.secondary}" stroke="${COLOURS.outline}" stroke-width="2"/>`,
      text(WIDTH / 2 + 22, 17, chart.otherName!),
    );
  }
  for (let step = 0; step <= 5; step += 1) {
    const tick = (chart.max / 5) * step;
    const x = LABEL_WIDTH + barLength(tick, chart.max);
    body.push(
      `<line x1="${x}" y1="${plotTop - 4}" x2="${x}" y2="${height - 4}" stroke="${COLOURS.muted}" stroke-width="1" stroke-dasharray="2 3"/>`,
      text(x, plotTop - 8, String(Math.round(tick * 100) / 100), 'text-anchor="middle" font-size="12"'),
    );
  }
  chart.bars.forEach((bar, i) => {
    const top = plotTop + i * rowHeight;
    const length = barLength(bar.value, chart.max);
    const fill = bar.emphasis
      ? `fill="${COLOURS.primary}"`
      : `fill="${COLOURS.secondary}" stroke="${COLOURS.outline}" stroke-width="2"`;
    body.push(
      text(0, top + 19, shorten(bar.label)),
      `<rect x="${LABEL_WIDTH}" y="${top + 4}" width="${length}" height="20" ${fill}/>`,
      text(LABEL_WIDTH + length + 6, top + 19, bar.valueText),
    );
  });
  if (chart.bars.length === 0) body.push(text(LABEL_WIDTH, plotTop + 19, 'Nothing to show yet'));
  return frame(chart.id, chart.title, chart.description, height, body);
}
