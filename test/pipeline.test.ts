/**
 * pipeline.ts beyond what the check golden tests cover: the samples an index
 * cannot judge in words because their script has no spaces, counted per
 * benchmark by hand from the file written here.
 */
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { indexBenchmarks, unspacedScriptSamples } from '../src/pipeline.js';
import { parseEvalArgument } from '../src/readers/evals/evals.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-pipeline-'));
const english = 'how many apples does the farmer have left after selling half of them at the market today';
const rows = [
  { question: english },
  { question: '一个农民有十二个苹果，他在市场上卖掉了一半，还剩下多少个苹果？' },
  { question: 'ชาวนามีแอปเปิ้ลสิบสองผลเขาขายไปครึ่งหนึ่งที่ตลาดเหลือแอปเปิ้ลกี่ผล' },
  { question: 'short' },
];
const file = path.join(tmp, 'mixed.jsonl');
writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
const other = path.join(tmp, 'english.jsonl');
writeFileSync(other, `${JSON.stringify({ question: english })}\n`);

test('samples too short in words because their script has no spaces are counted per benchmark; none under unit token', async (t) => {
  const specs = [parseEvalArgument(`mixed=${file}#question`), parseEvalArgument(`english=${other}#question`)];
  // The Chinese and the Thai question; not the English one (judged) nor "short" (too short, but spaced).
  t.deepEqual(unspacedScriptSamples((await indexBenchmarks(specs)).index), [2, 0]);
  t.deepEqual(unspacedScriptSamples((await indexBenchmarks(specs, { unit: 'token' })).index), [0, 0]);
});
