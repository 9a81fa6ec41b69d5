/**
 * A full garbage collection once a large download is over, where the process allows it (started with
 * `--expose-gc`, as `npm start` and the benchmark's server are; without it this does nothing).
 *
 * Why: an appraisal workbook of 2,000 bids leaves some 35 MB of garbage in V8's old generation, which V8 lets grow
 * to about 4× its live size before it collects it. So downloads one after another climbed from 245 MB to 280–318 MB
 * of RSS over five. Collected after each, five stay at the first one's peak (219 MB, `bench/workbookOnly.ts` with
 * WORKBOOK_RUNS=5). The collection takes 20–35 ms of the main thread, once for a download that took two seconds of
 * it. A smaller heap limit bounds memory too, but cost 6–17% of the submission and API rates.
 */

let scheduled = false;

/** Runs one full collection after the current I/O callbacks; calls made before it runs share it. */
export function releaseMemorySoon(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc || scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    gc();
  });
}
