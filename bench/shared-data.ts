/** Where the benches find ../shared/data, and the benchmarks they index from it. */
import path from 'node:path';
import { parseEvalArgument } from '../src/readers/evals/evals.js';

export const SHARED_DATA = path.resolve(import.meta.dirname, '../../shared/data');

/** GSM8K, MMLU, HellaSwag, ARC-Challenge, TruthfulQA and HumanEval, as `contam index --eval` arguments. */
export function benchmarkArguments(): string[] {
  const data = SHARED_DATA;
  return [
    `gsm8k=${data}/gsm8k/test.jsonl`,
    `mmlu=${data}/mmlu/test.jsonl`,
    `hellaswag=${data}/hellaswag/val.jsonl`,
    `arc=${data}/arc/ARC-Challenge-Test.jsonl`,
    `truthfulqa=${data}/truthfulqa/TruthfulQA.csv`,
    `humaneval=${data}/humaneval/HumanEval.jsonl.gz`,
  ];
}

/** The benchmarks of benchmarkArguments, parsed. */
export function benchmarkEvals() {
  return benchmarkArguments().map(parseEvalArgument);
}
