/**
 * The tree's contracts, read from the source: the folder-level import graph
 * has no cycle (a file at the top of src/ is a node of its own), the report
 * reads neither the scan nor the index, and no stage below the CLI names a
 * command-line flag or writes a command line in its code (comments may).
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** A file's folder relative to src/, or the file itself when it sits at the top. */
function node(file: string): string {
  const rel = path.relative(SRC, file);
  return path.dirname(rel) === '.' ? rel : path.dirname(rel);
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')));
}

const files = sources(SRC);
const graph = new Map<string, Set<string>>();
for (const file of files) {
  const from = node(file);
  for (const target of imports(file)) {
    const to = node(target);
    if (to === from) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)!.add(to);
  }
}

/** Code without comments, so a header may say which flag sets an option. */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/([;,{}()\]])\s*\/\/.*$/gm, '$1');
}

test('the folder-level import graph has no cycle', (t) => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (n: string, trail: string[]) => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(n)), n].join(' -> '));
      return;
    }
    state.set(n, 'open');
    for (const m of [...(graph.get(n) ?? [])].sort()) visit(m, [...trail, n]);
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) visit(n, []);
  t.deepEqual(cycles, []);
});

test('the report reads neither the scan nor the index', (t) => {
  const report = [...(graph.get('report') ?? [])].sort();
  t.deepEqual(
    report.filter((n) => n === 'scan' || n === 'cidx' || n.startsWith('scan/') || n.startsWith('cidx/')),
    [],
  );
});

test('readers, text, the index and the scan name no command-line flag and write no command line', (t) => {
  const offenders: string[] = [];
  for (const file of files) {
    const folder = path.relative(SRC, file).split(path.sep)[0]!;
    if (!['readers', 'text', 'cidx', 'scan', 'io', 'verdict'].includes(folder)) continue;
    for (const line of code(file).split('\n')) {
      // A flag in a string, or a command line (`contam scan ...`); lm-evaluation-harness's own --log_samples is its flag, not ours.
      const flags = [...line.matchAll(/['"`][^'"`]*?(--[a-z][a-z_-]+)/g)].map((m) => m[1]).filter((f) => f !== '--log_samples');
      if (flags.length > 0 || /`contam (check|index|scan|merge|report|score|filter|slurm|portrait)\b/.test(line)) offenders.push(`${path.relative(SRC, file)}: ${line.trim().slice(0, 120)}`);
    }
  }
  t.deepEqual(offenders, []);
});

test("the README's Layout names every folder and top-level file of src/, and nothing that is not there", (t) => {
  const readme = readFileSync(path.resolve(SRC, '../README.md'), 'utf8');
  const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('\n## ', readme.indexOf('## Layout') + 1));
  const named = new Set([...layout.matchAll(/`(src\/[^`]*)`/g)].map((m) => m[1]!.replace(/\/$/, '')));
  named.delete('src'); // "mirrors `src/`"
  const tree = new Set<string>();
  for (const file of files) {
    const rel = path.relative(path.resolve(SRC, '..'), file).split(path.sep);
    // A file at the top of src/, or the deepest folder holding it (src/readers/corpus, not src/readers).
    tree.add(rel.length === 2 ? rel.join('/') : rel.slice(0, -1).join('/'));
  }
  t.deepEqual([...tree].filter((p) => !named.has(p)).sort(), [], 'in the tree, not in the Layout');
  t.deepEqual([...named].filter((p) => !tree.has(p)).sort(), [], 'in the Layout, not in the tree');
});
