/**
 * The outbox delivery figure on its own (bench/mail.ts), on a fresh bench database with nothing else in it:
 * MAIL_MESSAGES (10000) messages, MAIL_PROCESSES (2) server processes, against nodemailer's baseline.
 */
import { startBenchDatabase } from './database.ts';
import { machine, printFigure } from './figures.ts';
import { mailFigure } from './mail.ts';

const host = machine();
const db = await startBenchDatabase();
try {
  const figure = await mailFigure(db, {
    messages: Number(process.env.MAIL_MESSAGES ?? 10_000),
    processes: Number(process.env.MAIL_PROCESSES ?? 2),
    log: (line) => console.log(line),
  });
  console.log(`Load average at start ${host.loadAverageAtStart.join(' ')}`);
  printFigure(figure);
} finally {
  await db.close();
}
