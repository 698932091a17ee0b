// Picks findings of the last `npm run corpus` at random, with a fixed seed, for the triage in
// docs/findings-6.1.md. The same seed and the same check.json give the same sample.
//
//   node scripts/triage-sample.mjs [--seed N] [--per-rule N] [--outside N] [--context N] [--json FILE]
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CACHE = process.env.RCU_LENS_CACHE ?? path.join(os.homedir(), '.cache', 'rcu-lens');
const args = process.argv.slice(2);
const option = (name, fallback) =>
  args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : fallback;

const seed = Number(option('--seed', '6001'));
const perRule = Number(option('--per-rule', '5'));
const outside = Number(option('--outside', '30'));
const context = Number(option('--context', '0'));
const json = option('--json', path.join(CACHE, 'corpus', 'check.json'));
const tree = option('--tree', path.join(CACHE, 'linux-source-6.1'));

/** mulberry32: a small seeded generator, so the sample does not depend on Math.random. */
function generator(state) {
  let s = state >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items, random) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const rows = JSON.parse(readFileSync(json, 'utf8'));
const byRule = new Map();
for (const f of rows) {
  const rel = path.relative(tree, f.file).split(path.sep).join('/');
  const list = byRule.get(f.rule) ?? [];
  list.push({ ...f, file: rel });
  byRule.set(f.rule, list);
}

const random = generator(seed);
for (const rule of [...byRule.keys()].sort()) {
  const sorted = byRule.get(rule).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const n = rule === 'rcu-traverse-outside-reader' ? outside : perRule;
  const picked = shuffle(sorted, random).slice(0, n);
  console.log(`## ${rule} (${picked.length} of ${sorted.length}, seed ${seed})`);
  for (const f of picked) {
    console.log(`${f.file}:${f.line}: ${f.message}`);
    if (context > 0) printContext(f.file, f.line);
  }
  console.log('');
}

function printContext(file, line) {
  const lines = readFileSync(path.join(tree, file), 'utf8').split('\n');
  for (let k = Math.max(1, line - context); k <= Math.min(lines.length, line + context); k++) {
    console.log(`${k === line ? '>' : ' '}${String(k).padStart(6)} ${lines[k - 1]}`);
  }
}
