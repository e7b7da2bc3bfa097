/** `contam index`: eval files -> a `.cidx` index file. */
import { Command } from 'commander';
import type { ContamIndex } from '../cidx/contam-index.js';
import { writeIndexFile } from '../cidx/file.js';
import { describeIndex, type IndexDescription } from '../cidx/describe.js';
import { checkOutput } from '../io/output.js';
import { indexBenchmarks, unspacedScriptSamples } from '../pipeline.js';
import { createLogger, writeResult, type Logger } from './common.js';
import { addEvalOption, addIndexOptions, evalSpecs, indexOptions } from './options.js';

export function indexCommand(): Command {
  const cmd = new Command('index').description('read benchmark files and build an index of their shingles');
  addEvalOption(cmd);
  addIndexOptions(cmd, false);
  cmd
    .requiredOption('-o, --output <file>', 'the index file to write (.cidx)')
    .option('--json', 'print what was indexed as JSON on stdout')
    .option('-q, --quiet', 'print nothing')
    .addHelpText(
      'after',
      `
Examples:
  contam index --eval mmlu=mmlu/test.jsonl --eval truthfulqa=truthfulqa/TruthfulQA.csv -o evals.cidx
  contam index --eval gsm8k=gsm8k/test.jsonl#question,answer:label --ngram 8 -o gsm8k-8.cidx`,
    )
    .action(async (opts) => {
      const log = createLogger(opts.quiet);
      const specs = evalSpecs(opts);
      await checkOutput(
        opts.output,
        specs.map((s) => s.path),
      );
      const { index } = await indexBenchmarks(specs, indexOptions(opts));
      await writeIndexFile(index, opts.output);
      const info = describeIndex(index);
      warnUnspacedScripts(index, info, log);
      if (opts.json) await writeResult(`${JSON.stringify(info, null, 2)}\n`);
      else logIndexDescription(info, log, opts.output);
    });
  return cmd;
}

/** Say on stderr what was indexed: which fields of each benchmark were chosen, and the index's figures. */
export function logIndexDescription(info: IndexDescription, log: Logger, output?: string): void {
  if (log.quiet) return;
  for (const b of info.benchmarks) {
    log.info(
      `${b.name}: ${b.samples} samples from ${b.path} (${b.shape ? `${b.shape} shape` : 'fields'}: ${b.fields.join(', ')}), ${b.ngram}-grams: ${b.shingles} shingles, ${b.too_short} too short${info.minhash ? `, ${b.minhash_samples} with MinHash signatures` : ''}`,
    );
  }
  if (info.minhash) {
    const m = info.minhash;
    log.info(
      `minhash: ${m.shingle}-gram shingles, ${m.bands} bands x ${m.rows} rows: candidates from Jaccard ~${m.jaccard_threshold.toFixed(3)} ((1/${m.bands})^(1/${m.rows})), verified at containment >= ${m.min_containment}`,
    );
  }
  log.info(
    `index: ${info.shingles} shingles, ${info.keys} anchor keys, Bloom filter ${info.bloom_bytes} bytes, ${info.bloom_hashes} hashes, false-positive rate ${info.bloom_fpr.toPrecision(2)}${output ? ` -> ${output}` : ''}`,
  );
}

/**
 * Under --unit word, say on stderr which benchmarks have samples too short to
 * judge because their text is in a script written without spaces (counted by
 * `unspacedScriptSamples`), and that `--unit token` judges them.
 */
export function warnUnspacedScripts(index: ContamIndex, info: IndexDescription, log: Logger): void {
  const unspaced = unspacedScriptSamples(index);
  info.benchmarks.forEach((b, i) => {
    if (unspaced[i]! === 0) return;
    log.warn(
      `${b.name}: ${unspaced[i]} of ${b.samples} samples are too short to judge in words: their text is in a script written without spaces (Chinese, Japanese, Thai...), where --unit word sees a sentence as one word; --unit token judges them`,
    );
  });
}
