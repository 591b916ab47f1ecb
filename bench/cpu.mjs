/**
 * CPU time used, read from /proc: steadier than wall time when other work shares the machine. PostgreSQL's
 * backends run on the same machine as the benches, so their CPU is read the same way.
 */
import fs from 'node:fs';

/** CPU used so far (user + system, ms) by each of these processes, by pid; an ended process is left out. */
export function cpuMsOf(pids) {
  const used = new Map();
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      used.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // utime + stime; USER_HZ is 100
    } catch {
      // the process ended since it was listed
    }
  }
  return used;
}

export const sum = (values) => values.reduce((a, b) => a + b, 0);

/** CPU used so far by this process, in ms. */
export function processCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU used so far by each PostgreSQL backend connected to a database, by pid (`query` runs SQL on any connection). */
export async function postgresCpuMs(query, database) {
  const { rows } = await query('select pid from pg_stat_activity where datname = $1', [database]);
  return cpuMsOf(rows.map((row) => row.pid));
}

/** The CPU used between two readings of postgresCpuMs (a backend started in between counts from zero). */
export function postgresCpuSince(before, after) {
  return sum([...after].map(([pid, ms]) => ms - (before.get(pid) ?? 0)));
}
