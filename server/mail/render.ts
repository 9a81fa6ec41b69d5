/**
 * Renders one e-mail from templates/mail/<name>.{subject,text,html}.hbs: the subject and plain text as typed, the
 * HTML escaped and inside templates/mail/_layout.html.hbs (GOV.UK Notify's plain style).
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { projectRoot } from '../paths.ts';
import { formatPounds } from '../shared/money.ts';
import { formatLondonDate, formatLondonDateTime } from '../shared/londonFormat.ts';

const mailDir = path.join(projectRoot, 'templates', 'mail');

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const handlebars = Handlebars.create();
handlebars.registerHelper('pounds', (pence: number) => formatPounds(pence));
handlebars.registerHelper('londonDateTime', (instant: Date | string) => formatLondonDateTime(instant));
handlebars.registerHelper('londonDate', (value: Date | string) => formatLondonDate(value));

const cache = new Map<string, Handlebars.TemplateDelegate>();

function compiled(file: string, escape: boolean): Handlebars.TemplateDelegate {
  const key = `${escape ? 'html' : 'plain'}:${file}`;
  let template = cache.get(key);
  if (!template) {
    // strict: a variable the caller forgot is an error when queued, not a blank in someone's inbox.
    template = handlebars.compile(fs.readFileSync(file, 'utf8'), { strict: true, noEscape: !escape });
    cache.set(key, template);
  }
  return template;
}

/** A subject is one header line: CR, LF and other line breaks in a name or title become spaces. */
export function oneLine(text: string): string {
  return text
    .replace(/[\r\n\u0085\u2028\u2029\t\v\f]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Renders template `name` with `data`; throws naming the template when a file or a variable is missing. */
export function renderMail(name: string, data: Record<string, unknown>): RenderedMail {
  // A template's name is a file name inside templates/mail, never a path; _-names are the layout's.
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`Mail template name "${name}" is not a template's name`);
  const file = (part: string) => {
    const full = path.join(mailDir, `${name}.${part}.hbs`);
    if (!fs.existsSync(full)) throw new Error(`Mail template ${name} has no ${part} part (${full})`);
    return full;
  };
  try {
    const subject = oneLine(compiled(file('subject'), false)(data));
    if (!subject) throw new Error('its subject is empty');
    const text = compiled(file('text'), false)(data).trim() + '\n';
    const body = compiled(file('html'), true)(data);
    const layout = compiled(path.join(mailDir, '_layout.html.hbs'), true);
    const html = layout({ subject, body: new Handlebars.SafeString(body) });
    return { subject, text, html };
  } catch (error) {
    throw new Error(`Mail template ${name}: ${(error as Error).message}`, { cause: error });
  }
}
