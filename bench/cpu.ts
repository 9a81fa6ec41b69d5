/**
 * CPU time read from /proc, for figures that say what a request cost the server process and PostgreSQL: on a machine
 * shared with other work, rates and times move, the CPU per request much less.
 */
import fs from 'node:fs';
import path from 'node:path';

/** CPU time (user + system) a process has used, in clock ticks (10 ms), from /proc/<pid>/stat. */
export function cpuTicks(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The processes whose parent is `parent`. */
function childrenOf(parent: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === parent;
      } catch {
        return false;
      }
    });
}

/** The CPU time of PostgreSQL's postmaster and all its processes, in clock ticks. */
export function postgresTicks(postmaster: number): number {
  return [postmaster, ...childrenOf(postmaster)].reduce((sum, pid) => sum + cpuTicks(pid), 0);
}

/** The pid of the postmaster of the PostgreSQL whose folder (as bench/database.ts makes it) is `dataDir`. */
export function postmasterOf(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}
