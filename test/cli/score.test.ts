import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { scoreCommand } from '../../src/cli/score.js';
import { hellaswag, hellaswagText, lmEvalHellaswagLine, makeReport, tempDir, writeJsonl } from '../score/_helpers.js';

function setup(): { dir: string; report: string; results: string } {
  const dir = tempDir();
  const rows = hellaswag(20);
  const report = path.join(dir, 'report.json');
  writeFileSync(report, JSON.stringify(makeReport([{ name: 'hellaswag', samples: 10042, specs: rows.map((r, row) => ({ row, text: hellaswagText(r), contaminated: row % 4 === 0 })) }])));
  const results = writeJsonl(
    path.join(dir, 'samples_hellaswag_2026-11-28T10-00-00.jsonl'),
    rows.map((r, i) => lmEvalHellaswagLine(r, i, 'nested')),
  );
  return { dir, report, results };
}

async function capture(run: () => Promise<unknown>): Promise<string> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    out += chunk.toString();
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
  return out;
}

test.serial('contam score -o writes the ScoreReport JSON the library computes', async (t) => {
  const { dir, report, results } = setup();
  const out = path.join(dir, 'scores.json');
  const printed = await capture(() => scoreCommand().parseAsync(['--report', report, '--results', results, '--seed', '5', '--resamples', '50', '-o', out, '--quiet'], { from: 'user' }));
  t.is(printed, '');
  const scores = JSON.parse(readFileSync(out, 'utf8'));
  t.is(scores.seed, 5);
  t.is(scores.bootstrap_resamples, 50);
  t.is(scores.benchmarks[0].name, 'hellaswag');
  t.deepEqual({ score: scores.benchmarks[0].metrics[0].all.score, n: scores.benchmarks[0].metrics[0].all.n }, { score: 6 / 20, n: 20 });
});

test.serial('contam score prints the table on stdout, and --json the JSON', async (t) => {
  const { report, results } = setup();
  const table = await capture(() => scoreCommand().parseAsync(['--report', report, '--results', results, '--resamples', '20', '--quiet'], { from: 'user' }));
  t.regex(table, /^hellaswag \(logprob, lm-eval-harness: /);
  t.regex(table, /\nacc_norm +50\.0 \(20\)/);
  const json = await capture(() => scoreCommand().parseAsync(['--report', report, '--results', results, '--resamples', '20', '--json', '--quiet'], { from: 'user' }));
  t.is(JSON.parse(json).benchmarks[0].joined, 20);
});

test.serial('contam score rejects a mode it does not know before reading anything', async (t) => {
  const cmd = scoreCommand()
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  const error = await t.throwsAsync(cmd.parseAsync(['--report', 'r.json', '--results', 'x.jsonl', '--mode', 'fuzzy'], { from: 'user' }));
  t.regex(error!.message, /Allowed choices are logprob, generative/);
});

test('the help shows an example', (t) => {
  t.regex(`${scoreCommand().helpInformation()}`, /--results <file>/);
  let help = '';
  scoreCommand()
    .configureOutput({ writeOut: (s) => (help += s) })
    .outputHelp();
  t.regex(help, /contam score --report report\.json --results lm-eval-out\/samples_gsm8k/);
});
