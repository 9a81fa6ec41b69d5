/** The benchmark's figures: one line each on the console, next to target and baseline, and a JSON file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Figure {
  /** Short name, e.g. "submissions". */
  name: string;
  /** What was measured, as people read it. */
  measured: string;
  target: string;
  baseline: string;
  /** PASS, MISS (a target missed), FAIL (a check of correctness failed), or n/a when it could not be measured. */
  verdict: 'PASS' | 'MISS' | 'FAIL' | 'n/a';
  /** The numbers behind the line. */
  values: Record<string, unknown>;
  notes?: string[];
}

/** The machine the figures came from. */
export function machine() {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** One line per figure: verdict, name, measured, target, baseline. */
export function printFigure(figure: Figure): void {
  const verdict = figure.verdict.padEnd(4);
  console.log(
    `${verdict}  ${figure.name.padEnd(22)} ${figure.measured}  | target ${figure.target}  | baseline ` +
      `${figure.baseline}`,
  );
  for (const note of figure.notes ?? []) console.log(`      ${''.padEnd(22)} ${note}`);
}

/** Writes the run's results where `.gitignore` keeps them out of commits. */
export function writeResults(file: string, results: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

/** Number formatting for the lines. */
export const fmt = {
  rate: (n: number) => `${Math.round(n).toLocaleString('en-GB')}/s`,
  ms: (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`,
  s: (n: number) => `${n.toFixed(2)} s`,
  mb: (kb: number) => `${Math.round(kb / 1024)} MB`,
  pct: (n: number) => `${n.toFixed(0)}%`,
  x: (n: number) => `${n.toFixed(2)}×`,
};
