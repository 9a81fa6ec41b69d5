/** `npm run migrate`: brings the database (DATABASE_URL or the embedded one) up to the newest migration. */
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/start.ts';

const database = await openDatabase(loadConfig());
console.log('The database is up to date.');
await database.close();
