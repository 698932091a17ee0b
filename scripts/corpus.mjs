// `npm run corpus`: runs rcu-lens over the whole Debian linux-source-6.1 tree and measures it.
//
// Makes sure the tree is unpacked in the cache (outside the repository), runs `check` and
// `sites` on it with JSON output, and compares the iterator sites found with a comment-aware
// grep of the same names (scripts/grep-sites.mjs). Prints files, sites found against grep,
// recall, the shortfall, findings per rule, wall time and peak RSS; `--write` also writes
// docs/corpus.md. Exits non-zero when the CLI crashes or exits 2, or when the recall of
// list_for_each_entry_rcu is below 99 %.
//
//   node scripts/corpus.mjs [--write] [--reuse] [--unpack-only] [--tree DIR]
//     --reuse        reuse the JSON of the last run in the cache instead of running the CLI again
//     --unpack-only  make sure the tree is unpacked, then stop (CI does this before `npm test`,
//                    whose kernel-patch test needs the tree)
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { GREP_NAMES, grepTree } from './grep-sites.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CACHE = process.env.RCU_LENS_CACHE ?? path.join(os.homedir(), '.cache', 'rcu-lens');
const TARBALL = '/usr/src/linux-source-6.1.tar.xz';
const MIN_RECALL = 0.99;

const args = process.argv.slice(2);
const write = args.includes('--write');
const reuse = args.includes('--reuse');
const unpackOnly = args.includes('--unpack-only');
const treeArg = args.indexOf('--tree') >= 0 ? args[args.indexOf('--tree') + 1] : undefined;
const tree = treeArg ?? path.join(CACHE, 'linux-source-6.1');
const out = path.join(CACHE, 'corpus');

/** Unpacks linux-source-6.1 into the cache, installing the Debian package first if needed. */
function ensureTree() {
  if (existsSync(path.join(tree, 'Makefile'))) return;
  if (treeArg) fail(`${tree} has no Makefile`);
  if (!existsSync(TARBALL)) {
    if (process.getuid?.() !== 0) {
      fail(
        `${TARBALL} is missing: install it with \`sudo apt-get install linux-source-6.1\`, then run this again`,
      );
    }
    console.log(`installing linux-source-6.1 (for ${TARBALL})`);
    let apt = spawnSync('apt-get', ['install', '-y', 'linux-source-6.1'], { stdio: 'inherit' });
    if (apt.status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'inherit' });
      apt = spawnSync('apt-get', ['install', '-y', 'linux-source-6.1'], { stdio: 'inherit' });
    }
    if (apt.status !== 0 || !existsSync(TARBALL)) fail('apt-get install linux-source-6.1 failed');
  }
  console.log(`unpacking ${TARBALL} into ${CACHE}`);
  const staging = path.join(CACHE, `.unpack-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  const tar = spawnSync('tar', ['-xJf', TARBALL, '-C', staging], { stdio: 'inherit' });
  if (tar.status !== 0) fail('tar failed');
  renameSync(path.join(staging, 'linux-source-6.1'), tree);
  rmSync(staging, { recursive: true, force: true });
}

function fail(message) {
  console.error(`corpus: ${message}`);
  process.exit(2);
}

/**
 * Runs the CLI with stdout to a file. A preloaded probe writes the child's own peak RSS
 * (process.resourceUsage) when it exits, so no external `time` is needed.
 */
function runCli(command, jsonFile) {
  const probe = path.join(out, 'rss-probe.cjs');
  const rssFile = `${jsonFile}.rss`;
  writeFileSync(
    probe,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.RCU_LENS_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
  );
  rmSync(rssFile, { force: true });
  const fd = openOut(jsonFile);
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    ['--require', probe, path.join(ROOT, 'bin', 'rcu-lens.js'), command, tree, '--format', 'json'],
    {
      env: { ...process.env, RCU_LENS_RSS_FILE: rssFile },
      stdio: ['ignore', fd, 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(fd);
  const stderr = child.stderr?.toString() ?? '';
  const maxRssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : undefined;
  const meta = { command, status: child.status, signal: child.signal, seconds, maxRssKb, stderr };
  writeFileSync(`${jsonFile}.meta.json`, JSON.stringify(meta, null, 2));
  return meta;
}

function openOut(file) {
  return openSync(file, 'w');
}

function loadRun(command) {
  const jsonFile = path.join(out, `${command}.json`);
  if (reuse && existsSync(`${jsonFile}.meta.json`)) {
    return {
      meta: JSON.parse(readFileSync(`${jsonFile}.meta.json`, 'utf8')),
      rows: JSON.parse(readFileSync(jsonFile, 'utf8')),
    };
  }
  console.log(`running rcu-lens ${command} over ${tree} ...`);
  const meta = runCli(command, jsonFile);
  let rows = [];
  try {
    rows = JSON.parse(readFileSync(jsonFile, 'utf8'));
  } catch {
    meta.unreadable = true;
  }
  return { meta, rows };
}

function main() {
  ensureTree();
  if (unpackOnly) {
    console.log(`linux-source-6.1 is unpacked at ${tree}`);
    return;
  }
  mkdirSync(out, { recursive: true });
  const check = loadRun('check');
  const sites = loadRun('sites');
  console.log('grepping the tree ...');
  const grep = grepTree(tree);
  const summary = summarise(check, sites, grep);
  const text = render(summary);
  process.stdout.write(text);
  if (write) {
    writeFileSync(path.join(ROOT, 'docs', 'corpus.md'), text);
    console.log('wrote docs/corpus.md');
  }
  process.exit(verdict(summary, check.meta, sites.meta));
}

function verdict(summary, ...metas) {
  let code = 0;
  for (const m of metas) {
    if (m.signal || m.status === 2 || m.status === null || m.status > 2 || m.unreadable) {
      console.error(
        `corpus: rcu-lens ${m.command} failed (status ${m.status}, signal ${m.signal})`,
      );
      code = 1;
    }
    if (/internal error/.test(m.stderr)) {
      console.error(`corpus: rcu-lens ${m.command} reported an internal error`);
      code = 1;
    }
  }
  const main = summary.recall.find((r) => r.name === 'list_for_each_entry_rcu');
  if (!main || main.recall < MIN_RECALL) {
    console.error(
      `corpus: list_for_each_entry_rcu recall ${main ? pct(main.recall) : 'n/a'} is below ${pct(MIN_RECALL)}`,
    );
    code = 1;
  }
  return code;
}

/** Relative path of a CLI row's file. */
function rel(file) {
  return path.relative(tree, file).split(path.sep).join('/');
}

function summarise(check, sites, grep) {
  const found = new Map();
  for (const row of sites.rows) {
    if (row.wrapper) continue;
    const key = `${row.primitive}\u0000${rel(row.file)}:${row.line}`;
    found.set(key, (found.get(key) ?? 0) + 1);
  }
  const recall = [];
  const shortfall = [];
  for (const name of GREP_NAMES) {
    const hits = grep.hits.get(name);
    const left = new Map(found);
    let matched = 0;
    for (const hit of hits) {
      const key = `${name}\u0000${hit.file}:${hit.line}`;
      const n = left.get(key) ?? 0;
      if (n > 0) {
        matched++;
        left.set(key, n - 1);
      } else shortfall.push({ name, ...hit });
    }
    const inSites = sites.rows.filter((r) => r.primitive === name && !r.wrapper).length;
    recall.push({
      name,
      grep: hits.length,
      found: matched,
      sites: inSites,
      recall: hits.length ? matched / hits.length : 1,
    });
  }
  const byRule = new Map();
  for (const f of check.rows) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  const summaryLine =
    check.meta.stderr.split('\n').find((l) => /^rcu-lens: \d+ files/.test(l)) ?? '';
  const counts = /(\d+) files \((\d+) with RCU(?:, (\d+) more for callers)?\), (\d+) sites/.exec(
    summaryLine,
  );
  const skipped = check.meta.stderr
    .split('\n')
    .filter((l) => /: skipped: /.test(l))
    .map((l) => l.replace(/^rcu-lens: /, '').replace(`${tree}/`, ''));
  return {
    tree,
    version: treeVersion(),
    files: counts ? Number(counts[1]) : grep.files,
    rcuFiles: counts ? Number(counts[2]) : undefined,
    callerFiles: counts ? Number(counts[3] ?? 0) : undefined,
    sites: sites.rows.length,
    recall,
    shortfall,
    byRule: [...byRule].sort((a, b) => b[1] - a[1]),
    findings: check.rows.length,
    check: check.meta,
    sitesRun: sites.meta,
    skipped,
    cores: os.cpus().length,
  };
}

function treeVersion() {
  try {
    const make = readFileSync(path.join(tree, 'Makefile'), 'utf8');
    const v = (k) => new RegExp(`^${k} = (\\S*)`, 'm').exec(make)?.[1] ?? '?';
    return `${v('VERSION')}.${v('PATCHLEVEL')}.${v('SUBLEVEL')}`;
  } catch {
    return '?';
  }
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;
const mib = (kb) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MiB`);

function render(s) {
  const lines = [
    '# rcu-lens on the whole linux-source-6.1 tree',
    '',
    `Generated by \`npm run corpus -- --write\` (scripts/corpus.mjs) on Linux ${s.version} (Debian's`,
    `linux-source-6.1), ${s.cores} cores. Sites are compared with a comment-aware grep`,
    '(scripts/grep-sites.mjs: comments, string literals and `#define` bodies stripped).',
    '',
    '| measure | value |',
    '|---|---|',
    `| .c/.h files seen | ${s.files} |`,
    `| files mentioning RCU, analysed | ${s.rcuFiles ?? 'n/a'} |`,
    `| files without RCU, indexed for the callers they hold | ${s.callerFiles ?? 'n/a'} |`,
    `| sites reported by \`sites\` (all primitives) | ${s.sites} |`,
    `| findings (\`check\`) | ${s.findings} |`,
    `| \`check\` wall time | ${s.check.seconds.toFixed(1)} s |`,
    `| \`check\` peak RSS | ${mib(s.check.maxRssKb)} |`,
    `| \`sites\` wall time | ${s.sitesRun.seconds.toFixed(1)} s |`,
    `| \`sites\` peak RSS | ${mib(s.sitesRun.maxRssKb)} |`,
    '',
    '## Iterator sites: found against grep',
    '',
    '| iterator | grep | found | recall | all `sites` rows |',
    '|---|---:|---:|---:|---:|',
    ...s.recall.map(
      (r) => `| \`${r.name}\` | ${r.grep} | ${r.found} | ${pct(r.recall)} | ${r.sites} |`,
    ),
    '',
    '## Findings per rule',
    '',
    '| rule | findings |',
    '|---|---:|',
    ...s.byRule.map(([rule, n]) => `| \`${rule}\` | ${n} |`),
    '',
    '## Shortfall: grep sites that `sites` does not report',
    '',
    ...(s.shortfall.length === 0
      ? ['None.']
      : s.shortfall.map((h) => `- \`${h.file}:${h.line}\` ${h.name}`)),
    '',
    '## Files skipped',
    '',
    ...(s.skipped.length === 0 ? ['None.'] : s.skipped.map((l) => `- ${l}`)),
    '',
  ];
  return lines.join('\n');
}

main();
