/** Where the project's own files are, whether this runs from the source (server/) or from the build (dist/server/). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The clone's root: the folder with package.json, one level above server/ or two above dist/server/. */
export const projectRoot = fs.existsSync(path.join(here, '..', 'package.json'))
  ? path.resolve(here, '..')
  : path.resolve(here, '..', '..');
