/**
 * Helpers for page tests: the page parsed (cheerio), so tests assert on what a reader and a browser get from it (a
 * summary list's value, a table's rows, the error summary's links) rather than on how the template spells it.
 */
import * as cheerio from 'cheerio';
import type supertest from 'supertest';

/** Folds runs of white space to one space and trims, as a reader sees text. */
function folded(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** An HTML page, parsed. Attribute values and text come back decoded (`&#x3D;` as `=`), as a browser reads them. */
export class ParsedPage {
  readonly $: cheerio.CheerioAPI;

  constructor(html: string) {
    this.$ = cheerio.load(html);
  }

  /** The elements' text as a reader sees it: white space folded, and a line break or a block's end read as a space. */
  private read(elements: ReturnType<cheerio.CheerioAPI>): string {
    const copy = elements.clone();
    copy.find('br').replaceWith(' ');
    copy.find('p, li, div, dt, dd, h1, h2, h3, h4, h5, h6, th, td').append(' ');
    return folded(copy.text());
  }

  /** The document's `<title>`. */
  title(): string {
    return this.read(this.$('title'));
  }

  /** The text of the page's first `<h1>`. */
  heading(): string {
    return this.read(this.$('h1').first());
  }

  /** The text of everything `selector` matches (the main content by default), white space folded. */
  text(selector = 'main'): string {
    return this.read(this.$(selector));
  }

  /** The text of each element `selector` matches, in order, white space folded. */
  texts(selector: string): string[] {
    return this.$(selector)
      .toArray()
      .map((element) => this.read(this.$(element)));
  }

  /** The success banner's message, or undefined when the page shows none. */
  successBanner(): string | undefined {
    const banner = this.$('.govuk-notification-banner--success .govuk-notification-banner__heading');
    return banner.length === 0 ? undefined : this.read(banner);
  }

  /** The error summary's links, in order, each as its target and its words; none when there is no summary. */
  errorLinks(): { href: string; text: string }[] {
    return this.$('.govuk-error-summary a')
      .toArray()
      .map((a) => ({ href: this.$(a).attr('href') ?? '', text: this.read(this.$(a)) }));
  }

  /** The error summary's words for the link to `href` (e.g. `#email`), or undefined when it has none. */
  errorFor(href: string): string | undefined {
    return this.errorLinks().find((link) => link.href === href)?.text;
  }

  /** The value the page's summary lists give for `key`, as text, or undefined when no row has that key. */
  summaryValue(key: string, within = 'body'): string | undefined {
    const row = this.$(within)
      .find('.govuk-summary-list__row')
      .toArray()
      .find((r) => this.read(this.$(r).find('.govuk-summary-list__key')) === key);
    return row === undefined ? undefined : this.read(this.$(row).find('.govuk-summary-list__value'));
  }

  /** A GOV.UK task list's items, in order: each one's link, title and status as the reader sees them. */
  taskList(): { href: string; title: string; status: string }[] {
    return this.$('.govuk-task-list__item')
      .toArray()
      .map((item) => ({
        href: this.$(item).find('a.govuk-task-list__link').attr('href') ?? '',
        title: this.read(this.$(item).find('a.govuk-task-list__link')),
        status: this.read(this.$(item).find('.govuk-task-list__status')),
      }));
  }

  /** The body rows of the first table `selector` matches, each as its cells' text (header cells included). */
  tableRows(selector = 'table'): string[][] {
    const table = this.$(selector).first();
    return table
      .find('tbody tr')
      .toArray()
      .map((row) =>
        this.$(row)
          .find('th, td')
          .toArray()
          .map((cell) => this.read(this.$(cell))),
      );
  }

  /** The cells' text of the table body row (of any table) holding a link to `href`, or undefined when none does. */
  tableRowLinkingTo(href: string): string[] | undefined {
    const row = this.$(`tbody tr:has(a[href="${href}"])`).first();
    return row.length === 0
      ? undefined
      : row
          .find('th, td')
          .toArray()
          .map((cell) => this.read(this.$(cell)));
  }

  /** The hidden fields of the first form `selector` matches, by name. */
  hiddenFields(selector = 'form'): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const input of this.$(selector).first().find('input[type="hidden"]').toArray())
      fields[this.$(input).attr('name') ?? ''] = this.$(input).attr('value') ?? '';
    return fields;
  }

  /** The `href` of every link on the page, in order. */
  hrefs(): string[] {
    return this.$('a[href]')
      .toArray()
      .map((a) => this.$(a).attr('href')!);
  }

  /** The `action` of every form on the page. */
  formActions(): string[] {
    return this.$('form')
      .toArray()
      .map((form) => this.$(form).attr('action') ?? '');
  }

  /** The value of the input, select or textarea with this id, or undefined when the page has none. */
  fieldValue(id: string): string | undefined {
    const field = this.$(`[id="${id}"]`);
    if (field.length === 0) return undefined;
    if (field.is('textarea')) return field.text();
    if (field.is('select')) return field.find('option[selected]').attr('value') ?? '';
    return field.attr('value') ?? '';
  }

  /** Whether the page has an element with this id. */
  has(id: string): boolean {
    return this.$(`[id="${id}"]`).length > 0;
  }

  /** The values of the checked inputs (radios, checkboxes) named `name`. */
  checkedValues(name: string): string[] {
    return this.$(`input[name="${name}"]:checked`)
      .toArray()
      .map((input) => this.$(input).attr('value') ?? '');
  }

  /** The ids of the checked inputs whose id starts with `prefix`. */
  checkedIds(prefix: string): string[] {
    return this.$(`input[id^="${prefix}"]:checked`)
      .toArray()
      .map((input) => this.$(input).attr('id')!);
  }

  /** The words of every GOV.UK tag (`govuk-tag`) on the page, in order. */
  tags(): string[] {
    return this.$('.govuk-tag')
      .toArray()
      .map((tag) => this.read(this.$(tag)));
  }

  /** The text of the element with this id, white space folded, or undefined when the page has none. */
  textOf(id: string): string | undefined {
    const element = this.$(`[id="${id}"]`);
    return element.length === 0 ? undefined : this.read(element);
  }
}

/** Parses a page's HTML. */
export function parsePage(html: string): ParsedPage {
  return new ParsedPage(html);
}

/** Loads a page with the agent and answers the CSRF token in its first form. */
export async function csrfTokenFrom(agent: supertest.Agent, path: string): Promise<string> {
  const page = await agent.get(path).expect(200);
  const token = parsePage(page.text).$('input[name="_csrf"]').first().attr('value');
  if (!token) throw new Error(`No CSRF token on ${path}`);
  return token;
}

/** Posts form values as a browser does: repeated names for checkboxes, everything urlencoded. */
export function postForm(agent: supertest.Agent, path: string, values: Record<string, unknown>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(values))
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, String(item ?? ''));
  return agent.post(path).type('form').send(body.toString());
}
