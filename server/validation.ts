/** One Ajv instance compiles every JSON Schema in schemas/ once, at start; its errors become `details`. */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Validation, type ErrorDetail } from './errors.ts';
import { projectRoot } from './paths.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schemasDir = path.join(projectRoot, 'schemas');

// verbose: errors carry their schema, so a pattern's `description` can say in words what it wants.
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
addFormats(ajv);
const schemas = fs
  .readdirSync(schemasDir)
  .filter((name) => name.endsWith('.schema.json'))
  .map((file) => JSON.parse(fs.readFileSync(path.join(schemasDir, file), 'utf8')) as { $id: string });
for (const schema of schemas) ajv.addSchema(schema);

// Compiled once, at start: a broken schema stops the process here rather than failing a request later.
const compiled = new Map<string, ValidateFunction>(schemas.map((schema) => [schema.$id, ajv.getSchema(schema.$id)!]));

function validatorFor(schemaId: string): ValidateFunction {
  const validate = compiled.get(schemaId);
  if (!validate) throw new Error(`No schema with $id ${schemaId} in schemas/`);
  return validate;
}

/** Turns Ajv's errors into `{path, message}` entries people can act on. */
export function describeErrors(errors: ErrorObject[]): ErrorDetail[] {
  // An if/then failure is reported by the keyword inside `then`; the wrapper adds nothing.
  return errors.filter((error) => error.keyword !== 'if').map((error) => {
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
        return { path: error.instancePath, message: describedBySchema(error) ?? capitalise(error.message ?? 'Is not valid') };
      case 'format':
        return { path: error.instancePath, message: describedBySchema(error) ?? FORMATS[error.params.format] ?? capitalise(error.message ?? 'Is not valid') };
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

/** Checks `body` against the schema with `$id` schemaId; throws a 422 naming every problem. */
export function validate<T>(schemaId: string, body: unknown): T {
  const validateBody = validatorFor(schemaId);
  if (!validateBody(body)) {
    throw new Validation('The request has problems', describeErrors(validateBody.errors ?? []));
  }
  return body as T;
}
