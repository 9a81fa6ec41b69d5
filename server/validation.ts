/** One Ajv instance compiles every JSON Schema in schemas/ once, at start; its errors become `details`. */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Validation, type ErrorDetail } from './errors.ts';
import { projectRoot } from './paths.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schemasDir = path.join(projectRoot, 'schemas');

const schemas = fs
  .readdirSync(schemasDir)
  .filter((name) => name.endsWith('.schema.json'))
  .map((file) => JSON.parse(fs.readFileSync(path.join(schemasDir, file), 'utf8')) as { $id: string });

/** Each schema compiled by one Ajv instance with the given options. */
function compileAll(allErrors: boolean): Map<string, ValidateFunction> {
  // verbose: errors carry their schema, so a pattern's `description` can say in words what it wants.
  const ajv = new Ajv({ allErrors, strict: true, verbose: true });
  addFormats(ajv);
  for (const schema of schemas) ajv.addSchema(schema);
  return new Map(schemas.map((schema) => [schema.$id, ajv.getSchema(schema.$id)!]));
}

// Compiled once, at start: a broken schema stops the process here rather than failing a request later. Every body
// meets the first, which stops at its first problem, so a valid body costs one pass whatever its size; only a body
// small enough for it to be cheap meets the second, which finds every problem (see checkableInFull).
const firstProblem = compileAll(false);
const everyProblem = compileAll(true);

function validatorFor(schemaId: string, validators: Map<string, ValidateFunction>): ValidateFunction {
  const validate = validators.get(schemaId);
  if (!validate) throw new Error(`No schema with $id ${schemaId} in schemas/`);
  return validate;
}

/** The most problems an answer lists; the rest are counted. */
export const MOST_DETAILS = 50;

/** The most values (array items, properties, scalars) a body may hold and still have every problem found. */
export const MOST_VALUES_CHECKED_IN_FULL = 2000;

function largestMaxItems(node: unknown): number {
  if (typeof node !== 'object' || node === null) return 0;
  const own =
    typeof (node as { maxItems?: unknown }).maxItems === 'number' ? (node as { maxItems: number }).maxItems : 0;
  return Math.max(own, ...Object.values(node).map(largestMaxItems));
}

// No schema allows a longer array, so an array past it is refused on its first problem, never item by item.
const LONGEST_ARRAY = Math.max(...schemas.map(largestMaxItems));

/**
 * Whether finding every problem of `body` costs little: the full pass takes time for each value it judges, and more
 * for each problem it reports, so a body past MOST_VALUES_CHECKED_IN_FULL, or with an array longer than any schema
 * allows, is answered with its first problem instead (a 40,000-item array took seconds and blocked every request).
 */
function checkableInFull(body: unknown): boolean {
  let values = 0;
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const node = stack.pop();
    values += 1;
    if (values > MOST_VALUES_CHECKED_IN_FULL) return false;
    if (Array.isArray(node)) {
      if (node.length > LONGEST_ARRAY) return false;
      for (const item of node) stack.push(item);
    } else if (typeof node === 'object' && node !== null) {
      for (const value of Object.values(node)) stack.push(value);
    }
  }
  return true;
}

/** Turns Ajv's errors into `{path, message}` entries people can act on. */
export function describeErrors(errors: ErrorObject[]): ErrorDetail[] {
  // An if/then failure is reported by the keyword inside `then`; the wrapper adds nothing.
  return errors
    .filter((error) => error.keyword !== 'if')
    .map((error) => {
      switch (error.keyword) {
        case 'additionalProperties':
          return {
            path: `${error.instancePath}/${error.params.additionalProperty}`,
            message: `Unknown field "${error.params.additionalProperty}"`,
          };
        case 'required':
          return {
            path: `${error.instancePath}/${error.params.missingProperty}`,
            message: `Required field "${error.params.missingProperty}" is missing`,
          };
        case 'type':
          return { path: error.instancePath, message: `Must be ${article(error.params.type)}` };
        case 'pattern':
          if (error.params.pattern === '\\S') return { path: error.instancePath, message: 'Must not be blank' };
          return {
            path: error.instancePath,
            message: describedBySchema(error) ?? capitalise(error.message ?? 'Is not valid'),
          };
        case 'format':
          return {
            path: error.instancePath,
            message:
              describedBySchema(error) ?? FORMATS[error.params.format] ?? capitalise(error.message ?? 'Is not valid'),
          };
        case 'minLength':
          if (error.params.limit === 1) return { path: error.instancePath, message: 'Must not be blank' };
          return { path: error.instancePath, message: capitalise(error.message ?? 'Is not valid') };
        case 'enum':
          return { path: error.instancePath, message: `Must be one of: ${error.params.allowedValues.join(', ')}` };
        default:
          return { path: error.instancePath, message: capitalise(error.message ?? 'Is not valid') };
      }
    });
}

const FORMATS: Record<string, string> = {
  date: 'Must be a date like 2027-04-01',
  'date-time': 'Must be a date and time like 2027-02-06T23:59:59Z',
  email: 'Must be an e-mail address, like name@example.org',
  uuid: 'Must be an id this service gave out',
};

/** A pattern's or format's own wording, from the `description` beside it in the schema. */
function describedBySchema(error: ErrorObject): string | undefined {
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  return typeof description === 'string' ? description : undefined;
}

function article(type: string): string {
  if (type === 'integer') return 'a whole number (money is whole pence)';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Checks `body` against the schema with `$id` schemaId; throws a 422 naming its problems: the first MOST_DETAILS
 * with a count of the rest, or only the first where the body is too large to judge in full.
 */
export function validate<T>(schemaId: string, body: unknown): T {
  const first = validatorFor(schemaId, firstProblem);
  if (first(body)) return body as T;
  if (!checkableInFull(body)) {
    throw new Validation(
      'The request has problems; only the first is listed, as the body is too large to check in full',
      describeErrors(first.errors ?? []).slice(0, 1),
    );
  }
  const every = validatorFor(schemaId, everyProblem);
  every(body);
  const errors = (every.errors ?? []).filter((error) => error.keyword !== 'if');
  const details = describeErrors(errors.slice(0, MOST_DETAILS));
  if (errors.length <= MOST_DETAILS) throw new Validation('The request has problems', details);
  const message = `The request has ${errors.length} problems; the first ${MOST_DETAILS} are listed`;
  throw new Validation(message, details, errors.length - MOST_DETAILS);
}
