/** Handlebars as Express's view engine: layouts, partials and pages from templates/, helpers registered here. */
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import Handlebars from 'handlebars';
import { formatPounds } from '../shared/money.ts';
import { formatLondonDate, formatLondonDateTime } from '../shared/londonFormat.ts';
import { projectRoot } from '../paths.ts';

const templatesDir = path.join(projectRoot, 'templates');

const STATUS_TAGS: Record<string, string> = {
  draft: 'govuk-tag--grey',
  open: 'govuk-tag--green',
  closed: 'govuk-tag--orange',
  appraisal: 'govuk-tag--blue',
  decided: 'govuk-tag--purple',
  submitted: 'govuk-tag--blue',
  withdrawn: 'govuk-tag--grey',
  approved: 'govuk-tag--green',
  approved_with_conditions: 'govuk-tag--turquoise',
  rejected: 'govuk-tag--red',
};

function registerHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('pounds', (pence: number) => formatPounds(pence));
  handlebars.registerHelper('londonDateTime', (instant: Date | string) => formatLondonDateTime(instant));
  handlebars.registerHelper('londonDate', (value: Date | string) => formatLondonDate(value));
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('statusTagClass', (status: string) => STATUS_TAGS[status] ?? 'govuk-tag--grey');
  handlebars.registerHelper('statusLabel', (status: string) => {
    const label = status.replaceAll('_', ' ');
    return label.charAt(0).toUpperCase() + label.slice(1);
  });
}

function registerPartials(handlebars: typeof Handlebars): void {
  const dir = path.join(templatesDir, 'partials');
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.hbs'))) {
    handlebars.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(dir, file), 'utf8'));
  }
  // A bid section's page is also a partial (`bid-section-details` …), so a clarification's answer page can draw the
  // fields of the sections it names inside its own form, overriding the section page's own form (bid-section-form).
  const sections = path.join(templatesDir, 'pages', 'bids', 'sections');
  for (const file of fs.readdirSync(sections).filter((name) => name.endsWith('.hbs'))) {
    const name = `bid-section-${path.basename(file, '.hbs')}`;
    handlebars.registerPartial(name, fs.readFileSync(path.join(sections, file), 'utf8'));
  }
}

/** Sets Handlebars up as the view engine; every page renders inside templates/layouts/main.hbs. */
export function useViews(app: Express): void {
  const handlebars = Handlebars.create();
  registerHelpers(handlebars);
  registerPartials(handlebars);
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  const compile = (file: string) => {
    let template = cache.get(file);
    if (!template) {
      template = handlebars.compile(fs.readFileSync(file, 'utf8'), { strict: false });
      cache.set(file, template);
    }
    return template;
  };
  const layout = path.join(templatesDir, 'layouts', 'main.hbs');
  app.engine('hbs', (file, options, callback) => {
    try {
      const body = compile(file)(options);
      callback(null, compile(layout)({ ...options, body }));
    } catch (error) {
      callback(error as Error);
    }
  });
  app.set('view engine', 'hbs');
  // Templates are compiled once (above), so finding a page's file is cached too, whatever NODE_ENV says: Express
  // only turns this on when process.env.NODE_ENV is production, and otherwise looks for the file on disk on every
  // render (found by `npm run bench`).
  app.enable('view cache');
  app.set('views', path.join(templatesDir, 'pages'));
}
