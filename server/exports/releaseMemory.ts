/**
 * A full garbage collection once a large download is over, where the process allows it (started with
 * `--expose-gc`, as `npm start` and the benchmark's server are; without it this does nothing).
 *
 * Why: a large appraisal workbook leaves its garbage in V8's old generation, which V8 lets grow to several times its
 * live size before it collects it, so downloads one after another climbed in RSS. Collected after each, they stay
 * at the first one's peak (`bench/workbookOnly.ts` with WORKBOOK_RUNS=5; figures in bench/README.md). The
 * collection is a short pause once per download. A smaller heap limit bounds memory too, but costs request rate.
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
