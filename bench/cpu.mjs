/**
 * CPU time used, read from /proc: steadier than wall time when other work shares the machine. PostgreSQL's
 * backends run on the same machine as the benches, so their CPU is read the same way.
 */
import fs from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';

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

/**
 * Runs `work` while reading the CPU of a database's backends every second, so that a backend which ends on
 * the way (a pooled connection closed when idle) still counts up to its last reading. Returns the work's
 * result and the backends' CPU in ms.
 */
export async function postgresCpuDuring(query, database, work) {
  const first = await postgresCpuMs(query, database);
  const seen = new Map(first);
  const read = async () => {
    for (const [pid, ms] of await postgresCpuMs(query, database)) seen.set(pid, ms);
  };
  const timer = setInterval(() => void read().catch(() => {}), 1000);
  try {
    const result = await work();
    await read();
    return { result, cpuMs: sum([...seen].map(([pid, ms]) => ms - (first.get(pid) ?? 0))) };
  } finally {
    clearInterval(timer);
  }
}
