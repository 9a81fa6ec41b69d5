/** The 360Giving Data Standard's own schemas, for checking what the open-data export publishes. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// The standard's own schemas, copied unchanged (CC BY 4.0, 360Giving) from ../shared/data/360giving.
const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/360giving');
/**
 * A schema without its `$schema`: it names draft 2020-12 by a non-canonical URI Ajv does not know; Ajv2020 assumes it.
 */
function readSchema(name: string): { $id: string } {
  const { $schema: _draft, ...schema } = JSON.parse(fs.readFileSync(path.join(schemaDir, name), 'utf8')) as {
    $id: string;
    $schema: string;
  };
  return schema;
}

/** Ajv 2020 with format checking on, the grant schema under its own $id and the 1.4.2 URL the package uses. */
export function packageValidator() {
  const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
  // strict off: the schemas carry 360Giving's own keywords (codelist, rollUp …).
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  const grant = readSchema('360-giving-schema.json');
  ajv.addSchema(grant);
  ajv.addSchema({
    ...grant,
    $id: 'https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json',
  });
  return ajv.compile(readSchema('360-giving-package-schema.json'));
}
