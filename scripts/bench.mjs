// `npm run bench`: how fast rcu-lens is on the kernel files that mention RCU.
//
// Measures, on linux-source-6.1 in the cache (run `npm run corpus` first to unpack it):
//   - throughput of prepare + report over every file mentioning `_rcu`, `_lockless` or
//     `rcu_read_lock`, callers indexed across files as the CLI does (MB/s, wall seconds);
//   - per-file latency of analysing one file on its own, what an editor waits for (p50/p95/max);
//   - re-analysis of the largest of those files after a one-character edit;
//   - peak RSS of the measuring process.
// Prints a table against the targets below and exits 1 when one is missed. The work runs in a
// child process (TypeScript sources through tsx) so the peak RSS is the engine's alone.
// This is a benchmark, not a test: `npm test` never runs it.
//
//   node scripts/bench.mjs [--tree DIR] [--limit N]
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import fg from 'fast-glob';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CACHE = process.env.RCU_LENS_CACHE ?? path.join(os.homedir(), '.cache', 'rcu-lens');

/** What the editor and the CI budget need; a miss makes the bench fail. */
const TARGETS = {
  p95Ms: 150,
  maxMs: 2000,
  subsetSeconds: 60,
  incrementalMs: 1000,
  rssMiB: 2048,
};

/** The fixed strings reference/parsing.md uses for "files that mention RCU". */
const NEEDLES = ['_rcu', '_lockless', 'rcu_read_lock'].map((s) => Buffer.from(s));

const args = process.argv.slice(2);
const option = (name, fallback) =>
  args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : fallback;
const tree = option('--tree', path.join(CACHE, 'linux-source-6.1'));
const limit = Number(option('--limit', '0'));

if (args.includes('--child')) await child();
else parent();

function parent() {
  try {
    statSync(path.join(tree, 'Makefile'));
  } catch {
    console.error(`bench: no kernel tree at ${tree}; run \`npm run corpus\` first to unpack it`);
    process.exit(2);
  }
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (run.status !== 0) {
    console.error(
      `bench: the measuring process failed (status ${run.status}, signal ${run.signal})`,
    );
    process.exit(2);
  }
  const result = JSON.parse(run.stdout.toString());
  process.exit(report(result));
}

async function child() {
  const engine = (p) =>
    import(pathToFileURL(path.join(ROOT, 'server', 'src', ...p.split('/'))).href);
  const { Analyzer } = await engine('analysis/analyzer.ts');
  const { ProjectIndex } = await engine('analysis/project.ts');
  const analyzer = await Analyzer.create();

  let files = subset();
  if (limit > 0) files = files.slice(0, limit);
  const texts = files.map((f) => readFileSync(path.join(tree, f), 'utf8'));
  const bytes = files.reduce((n, f) => n + statSync(path.join(tree, f)).size, 0);

  const project = new ProjectIndex();
  const prepared = [];
  const latency = [];
  const started = process.hrtime.bigint();
  texts.forEach((text, i) => {
    const t0 = process.hrtime.bigint();
    const analysis = analyzer.prepare(files[i], text);
    project.add(analysis);
    prepared.push(analysis);
    latency.push(Number(process.hrtime.bigint() - t0) / 1e6);
  });
  prepared.forEach((analysis, i) => {
    const t0 = process.hrtime.bigint();
    analyzer.report(analysis, project);
    latency[i] += Number(process.hrtime.bigint() - t0) / 1e6;
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const largest = texts.reduce((best, t, i) => (t.length > texts[best].length ? i : best), 0);
  const incremental = reanalyse(analyzer, project, files[largest], texts[largest]);
  const sorted = [...latency].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const slowest = latency.indexOf(sorted[sorted.length - 1]);
  process.stdout.write(
    JSON.stringify({
      files: files.length,
      bytes,
      seconds,
      p50: pick(0.5),
      p95: pick(0.95),
      max: sorted[sorted.length - 1],
      slowest: files[slowest],
      largest: files[largest],
      largestBytes: Buffer.byteLength(texts[largest]),
      incremental,
      rssKb: process.resourceUsage().maxRSS,
    }),
  );
}

/** Files under the tree whose text contains one of the RCU needles, sorted. */
function subset() {
  const all = fg
    .sync('**/*.{c,h}', {
      cwd: tree,
      onlyFiles: true,
      followSymbolicLinks: false,
      dot: false,
      suppressErrors: true,
    })
    .sort();
  return all.filter((f) => {
    const b = readFileSync(path.join(tree, f));
    return NEEDLES.some((n) => b.indexOf(n) >= 0);
  });
}

/** Median time to re-analyse a file after inserting one character, as the editor would. */
function reanalyse(analyzer, project, file, text) {
  const times = [];
  for (let k = 0; k < 5; k++) {
    const at = text.indexOf('\n', Math.floor((text.length * (k + 1)) / 6)) + 1;
    const edited = `${text.slice(0, at)} ${text.slice(at)}`;
    const t0 = process.hrtime.bigint();
    project.remove(file);
    const analysis = analyzer.prepare(file, edited);
    project.add(analysis);
    analyzer.report(analysis, project);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b)[2];
}

function report(r) {
  const mb = r.bytes / 1e6;
  const rows = [
    ['files mentioning RCU', `${r.files} (${mb.toFixed(1)} MB)`, ''],
    [
      'whole subset, one thread',
      `${r.seconds.toFixed(1)} s`,
      `< ${TARGETS.subsetSeconds} s`,
      r.seconds < TARGETS.subsetSeconds,
    ],
    ['throughput', `${(mb / r.seconds).toFixed(2)} MB/s`, ''],
    ['single file p50', `${r.p50.toFixed(1)} ms`, ''],
    ['single file p95', `${r.p95.toFixed(1)} ms`, `< ${TARGETS.p95Ms} ms`, r.p95 < TARGETS.p95Ms],
    [
      'single file max',
      `${r.max.toFixed(0)} ms (${r.slowest})`,
      `< ${TARGETS.maxMs} ms`,
      r.max < TARGETS.maxMs,
    ],
    [
      're-analysis of the largest file',
      `${r.incremental.toFixed(0)} ms (${r.largest}, ${(r.largestBytes / 1e3).toFixed(0)} kB)`,
      `< ${TARGETS.incrementalMs} ms`,
      r.incremental < TARGETS.incrementalMs,
    ],
    [
      'peak RSS',
      `${(r.rssKb / 1024).toFixed(0)} MiB`,
      `< ${TARGETS.rssMiB} MiB`,
      r.rssKb / 1024 < TARGETS.rssMiB,
    ],
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  console.log(`rcu-lens bench on ${tree} (${os.cpus().length} cores)`);
  for (const [name, value, target, ok] of rows) {
    const verdict = target ? (ok ? '  ok' : '  MISSED') : '';
    console.log(`${name.padEnd(width)}  ${value.padEnd(48)} ${target.padEnd(12)}${verdict}`);
  }
  return rows.some((row) => row[2] && !row[3]) ? 1 : 0;
}
