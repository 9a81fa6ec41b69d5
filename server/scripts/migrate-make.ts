/** `npm run migrate:make -- create-things`: a new, empty, timestamped migration in migrations/. */
import fs from 'node:fs';
import path from 'node:path';

const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name)) {
  console.error('Usage: npm run migrate:make -- <name-in-kebab-case>');
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const file = path.resolve('migrations', `${stamp}_${name}.ts`);
fs.writeFileSync(
  file,
  `import type { Knex } from 'knex';\n\nexport async function up(knex: Knex): Promise<void> {\n}\n\nexport async ` +
    `function down(knex: Knex): Promise<void> {\n}\n`,
);
console.log(file);
