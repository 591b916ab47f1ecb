/**
 * The test suite as CI runs it: a fresh clone of this repository at a commit (HEAD by default) running `.ci/run`,
 * with its wall time, its tests and the CPU it took. Give an older commit to compare the suite then and now on the
 * same machine on the same day, as the machines here differ from day to day.
 *
 *   node bench/test-suite.mjs [commit]
 *
 * CPU comes from the kernel's process accounting when the bench runs as root with Debian's acct installed
 * (`accton`, `dump-acct`): every process that ended, split into PostgreSQL's, chromium's and the rest. Without it,
 * the bench counts the processes `.ci/run` waited for and the PostgreSQL server's, read from /proc, and cannot
 * tell chromium's apart. The run's log is kept in the system's temporary folder; its path is printed.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const USER_HZ = 100;
const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const commit = process.argv[2] ?? 'HEAD';

/** user + system CPU (s) of a process from /proc: its own, and its children's that it waited for. */
function procCpu(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  return { own: (utime + stime) / USER_HZ, children: (cutime + cstime) / USER_HZ };
}

/** The PostgreSQL server's first process, whose waited-for children are its backends (undefined if none runs). */
function postmasterPid() {
  try {
    return Number(execFileSync('pgrep', ['-o', '-x', 'postgres'], { encoding: 'utf8' }).trim()) || undefined;
  } catch {
    return undefined;
  }
}

function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Seconds a loop of 2 × 10⁹ additions takes: how fast this machine is today, to compare days by. */
function loopSeconds() {
  const started = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < 2e9; i++) sum += i;
  if (sum < 0) console.log(sum);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Chromium's processes are named after whichever of their threads ended last; these are its threads' names. */
const CHROMIUM = /^(chrom|ThreadPool|HangWatcher|Chrome_|sandbox_ipc|PerfettoTrace|MemoryInfra|inotify_reader|Thread<)/;

/** The CPU (s) of the accounted processes: all, PostgreSQL's and chromium's (a process or one it descends from). */
function accountedCpu(pacct) {
  const records = execFileSync('dump-acct', [pacct], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('|').map((field) => field.trim()))
    .map((f) => ({ comm: f[0], cpu: Number(f[2]) + Number(f[3]), pid: Number(f[9]), ppid: Number(f[10]) }));
  const byPid = new Map(records.map((record) => [record.pid, record]));
  const isChromium = (record) => {
    for (let r = record, hops = 0; r && hops < 64; r = byPid.get(r.ppid), hops++)
      if (CHROMIUM.test(r.comm)) return true;
    return false;
  };
  const total = { all: 0, postgres: 0, chromium: 0 };
  for (const record of records) {
    const seconds = record.cpu / USER_HZ;
    total.all += seconds;
    if (record.comm === 'postgres') total.postgres += seconds;
    else if (isChromium(record)) total.chromium += seconds;
  }
  return total;
}

/** The "Tests" lines each Vitest printed at its end, with its label when npm ran several at once. */
function testCounts(log) {
  const plain = stripVTControlCharacters(log);
  return [...plain.matchAll(/^(\[[^\]]+\])?\s*Tests\s+(.+)$/gm)].map((m) => `${(m[1] ?? '').trim()} ${m[2]}`.trim());
}

try {
  execFileSync('git', ['-C', repository, 'rev-parse', '--verify', '--quiet', `${commit}^{commit}`], {
    stdio: 'ignore',
  });
} catch {
  console.error(`bench: no commit ${commit} in ${repository}`);
  process.exit(1);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-suite-'));
const clone = path.join(work, 'kloe');
execFileSync('git', ['clone', '-q', repository, clone]);
execFileSync('git', ['-C', clone, 'checkout', '-q', commit]);
const subject = execFileSync('git', ['-C', clone, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim();
const loop = loopSeconds();

const accounting = process.getuid?.() === 0 && hasCommand('accton') && hasCommand('dump-acct');
const pacct = path.join(work, 'pacct');
if (accounting) {
  fs.writeFileSync(pacct, '');
  execFileSync('accton', [pacct]);
}
const postmaster = postmasterPid();
const postgresBefore = postmaster ? procCpu(postmaster) : undefined;
const logFile = path.join(os.tmpdir(), `kloe-suite-${Date.now()}.log`);
const log = fs.openSync(logFile, 'w');
const started = Date.now();
const exitCode = await new Promise((resolve) => {
  spawn(path.join(clone, '.ci', 'run'), { cwd: clone, stdio: ['ignore', log, log] })
    .on('exit', resolve)
    .on('error', (error) => {
      fs.writeSync(log, `bench: .ci/run would not start: ${error.message}\n`);
      resolve(127);
    });
});
const wall = (Date.now() - started) / 1000;
if (accounting) execFileSync('accton', ['off']);
fs.closeSync(log);

let cpu;
if (accounting) cpu = accountedCpu(pacct);
else {
  const postgresAfter = postmaster ? procCpu(postmaster) : undefined;
  const postgres = postgresAfter
    ? postgresAfter.own + postgresAfter.children - postgresBefore.own - postgresBefore.children
    : 0;
  cpu = { all: procCpu(process.pid).children + postgres, postgres, chromium: undefined };
}
fs.rmSync(work, { recursive: true, force: true });

const cores = os.availableParallelism();
const s = (seconds) => `${Math.round(seconds).toLocaleString('en-GB')} s`;
console.log(`commit       ${subject}`);
const output = fs.readFileSync(logFile, 'utf8');
const runNode = /^ci: node (v[\d.]+)/m.exec(output)?.[1] ?? 'as .ci/run found it';
console.log(`machine      ${cores} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}; the run's Node.js ${runNode}`);
console.log(`loop 2e9     ${loop.toFixed(2)} s`);
console.log(`.ci/run      exit ${exitCode}, ${s(wall)} wall (log: ${logFile})`);
for (const line of testCounts(output)) console.log(`tests        ${line}`);
console.log(`CPU, all     ${s(cpu.all)}${accounting ? '' : ' (the processes .ci/run waited for, and PostgreSQL)'}`);
console.log(`  PostgreSQL ${s(cpu.postgres)}`);
if (cpu.chromium !== undefined) console.log(`  chromium   ${s(cpu.chromium)}`);
console.log(`floor        ${s(cpu.all / cores)}: the CPU spread over ${cores} cores with none idle`);
process.exitCode = exitCode === 0 ? 0 : 1;
