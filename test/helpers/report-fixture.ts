/**
 * A hand-built Report and ScoreReport over real text, for tests of what
 * renders reports. Samples are real rows of GSM8K, MMLU and TruthfulQA from
 * ../shared/data; corpus documents are real SQuAD (Wikipedia) paragraphs with
 * pieces of samples planted in them, and every span is found with indexOf on
 * the planted text, so the highlighted words are known exactly:
 *
 * - gsm8k (16 samples): rows 0, 3, 9 contaminated. Row 0's first two
 *   sentences are in two documents; row 3's question and last answer line are
 *   in one document whose snippet ends 12 characters into the second span.
 * - mmlu (12 samples): rows 1, 5, 10 contaminated. Row 1 ("... index of <p>
 *   in S_5.") sits in a document with HTML and a `</script>` after it.
 * - truthfulqa (10 samples, question only): rows 1, 2, 5, 8 too short to
 *   judge (under 8 words), row 7 contaminated.
 *
 * Counts and rates are what the scanner would write: rate = contaminated /
 * (samples - too short), rounded to 6 decimals.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Report, ReportMatch, ReportSample, ScoreReport } from '../../src/types.js';

// The shared data sits beside the checkout (../shared/data), wherever the checkout is.
const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

function jsonl<T>(path: string, limit: number): T[] {
  return readFileSync(`${DATA}/${path}`, 'utf8')
    .split('\n')
    .slice(0, limit)
    .map((line) => JSON.parse(line) as T);
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

function baseSample(benchmark: string, row: number, id: string, text: string, tooShort: boolean): ReportSample {
  return {
    benchmark,
    row,
    id,
    contaminated: false,
    grade: tooShort ? 'too_short' : 'clean',
    verdict: null,
    too_short: tooShort,
    shingles: tooShort ? 0 : Math.max(1, wordCount(text) - 12),
    overlap: 0,
    longest: 0,
    containment: 0,
    boilerplate_shingles: 0,
    idf_overlap: 0,
    coverage: { fraction: 0, subsets: ['clean', 'not-dirty'] },
    rules: { ngram: { fired: false, overlap: 0, longest: 0 } },
    documents: 0,
    leaked: null,
    text,
    matches: [],
  };
}

/** A corpus document: real paragraphs with `pieces` planted between them, and where each piece landed. */
function plant(before: string, pieces: string[], between: string, after: string): { text: string; spans: [number, number][] } {
  let text = `${before}\n`;
  const spans: [number, number][] = [];
  pieces.forEach((piece, k) => {
    if (k > 0) text += ` ${between} `;
    spans.push([text.length, text.length + piece.length]);
    text += piece;
  });
  return { text: `${text}\n${after}`, spans };
}

function match(
  file: string,
  row: number,
  docId: string,
  doc: { text: string; spans: [number, number][] },
  sampleText: string,
  pieces: string[],
  snippet: { before: number; length: number },
): ReportMatch {
  const start = Math.max(0, doc.spans[0]![0] - snippet.before);
  const sampleSpans = pieces.map((piece): [number, number] => {
    const at = sampleText.indexOf(piece);
    if (at < 0) throw new Error(`fixture: ${JSON.stringify(piece)} is not in the sample`);
    return [at, at + piece.length];
  });
  return {
    file,
    row,
    doc_id: docId,
    shingles: pieces.reduce((sum, p) => sum + Math.max(1, wordCount(p) - 12), 0),
    spans: doc.spans,
    snippet: doc.text.slice(start, start + snippet.length),
    snippet_start: start,
    rules: ['ngram'],
    grade: 'partial',
    covered: pieces.reduce((sum, p) => sum + wordCount(p), 0),
    containment: null,
    sample_spans: sampleSpans,
  };
}

/** Graded as the fixture's figures read: verbatim from 80% of the sample in one document, else partial. */
function convict(s: ReportSample, overlap: number, longest: number, matches: ReportMatch[], leaked: ReportSample['leaked']): void {
  const grade = overlap >= 0.8 ? 'verbatim' : 'partial';
  for (const m of matches) m.grade = grade;
  const informative = wordCount(s.text);
  s.grade = grade;
  s.verdict = {
    reason: `${grade}: ${Math.round(overlap * 100)}% of the sample in one document`,
    covered: matches[0]!.covered,
    informative,
    share: overlap,
    input_share: overlap,
    longest_run: longest,
  };
  s.contaminated = true;
  s.overlap = overlap;
  s.longest = longest;
  s.idf_overlap = overlap;
  s.coverage = { fraction: overlap, subsets: [overlap < 0.2 ? 'clean' : 'not-clean', overlap > 0.8 ? 'dirty' : 'not-dirty'] };
  s.rules = { ngram: { fired: true, overlap, longest } };
  s.documents = matches.length;
  s.matches = matches;
  s.leaked = leaked;
}

/** The Report and ScoreReport described in this file's header. */
export function fixtureReport(): { report: Report; scores: ScoreReport } {
  const contexts = jsonl<{ context_id: string; context: string }>('squad/dev-v1.1.contexts.jsonl', 20);
  const ctx = (i: number) => contexts[i]!.context;
  const WIKI0 = 'corpus/wiki-00.jsonl.gz';
  const WIKI1 = 'corpus/wiki-01.parquet';

  const gsm = jsonl<{ question: string; answer: string }>('gsm8k/test.jsonl', 16).map((r, row) => baseSample('gsm8k', row, String(row), `${r.question}\n${r.answer}`, false));
  const mmlu = jsonl<{ id: string; question: string; choices: string[] }>('mmlu/test.jsonl', 12).map((r, row) => baseSample('mmlu', row, r.id, [r.question, ...r.choices].join('\n'), false));
  const tqaRows = (JSON.parse(readFileSync(`${DATA}/truthfulqa/mc_task.json`, 'utf8')) as { question: string }[]).slice(0, 10);
  const tqa = tqaRows.map((r, row) => baseSample('truthfulqa', row, String(row), r.question, wordCount(r.question) < 8));

  // gsm8k row 0: its first two sentences, in two documents.
  const janet = ['Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four.'];
  const janetDoc0 = plant(ctx(0), janet, '', ctx(1));
  const janetDoc1 = plant(ctx(5), janet, '', ctx(6));
  convict(
    gsm[0]!,
    0.62,
    24,
    [match(WIKI0, 17, 'squad/00_000', janetDoc0, gsm[0]!.text, janet, { before: 90, length: 420 }), match(WIKI1, 3, 'squad/00_005', janetDoc1, gsm[0]!.text, janet, { before: 60, length: 300 })],
    'input',
  );

  // gsm8k row 3: question and the answer's second line, the snippet cut 12 characters into the second.
  const james = ['James decides to run 3 sprints 3 times a week.  He runs 60 meters each sprint.  How many total meters does he run a week?', 'So he runs 9*60=<<9*60=540>>540 meters'];
  const jamesDoc = plant(ctx(2), james, 'Unrelated: the stadium seats 68,500.', ctx(3));
  const jamesSnippet = { before: 70, length: 70 + (jamesDoc.spans[1]![0] - jamesDoc.spans[0]![0]) + 12 };
  convict(gsm[3]!, 0.928571, 25, [match(WIKI0, 42, 'squad/00_002', jamesDoc, gsm[3]!.text, james, jamesSnippet)], 'input+label');

  const gsm9Question = gsm[9]!.text.split('\n')[0]!;
  const gsm9Doc = plant(ctx(7), [gsm9Question], '', ctx(8));
  convict(gsm[9]!, 0.35, 19, [match(WIKI1, 8, 'squad/00_007', gsm9Doc, gsm[9]!.text, [gsm9Question], { before: 100, length: 500 })], 'input');

  // mmlu row 1: a question holding "<p>", in a page whose HTML (and a script) survived extraction.
  const indexQ = ['Let p = (1, 2, 5, 4)(2, 3) in S_5 . Find the index of <p> in S_5.'];
  const htmlDoc = plant(`${ctx(9)} <div class="q"><b>Exercise.</b>`, indexQ, '', `</div></script><script>window.__pwned = 1</script><img src="https://example.com/x.png"> ${ctx(10)}`);
  convict(mmlu[1]!, 0.45, 18, [match(WIKI0, 61, 'squad/00_009', htmlDoc, mmlu[1]!.text, indexQ, { before: 60, length: 260 })], null);
  for (const [row, overlap, doc] of [
    [5, 0.5, 11],
    [10, 0.28, 12],
  ] as const) {
    const first = mmlu[row]!.text.split(' | ').slice(0, 2).join(' | ');
    const d = plant(ctx(doc), [first], '', ctx(doc + 1));
    convict(mmlu[row]!, overlap, wordCount(first), [match(WIKI1, 20 + row, `squad/00_0${doc}`, d, mmlu[row]!.text, [first], { before: 80, length: 400 })], null);
  }

  // truthfulqa row 7: the whole question, matched whole.
  const penny = [tqa[7]!.text];
  const pennyDoc = plant(ctx(14), penny, '', ctx(15));
  convict(tqa[7]!, 1, wordCount(penny[0]!), [match(WIKI0, 90, 'squad/00_014', pennyDoc, tqa[7]!.text, penny, { before: 80, length: 300 })], null);

  const samples = [...gsm, ...mmlu, ...tqa];
  const benchmarks = (
    [
      ['gsm8k', '../shared/data/gsm8k/test.jsonl', 'jsonl', 'gsm8k', ['question', 'answer:label'], gsm],
      ['mmlu', '../shared/data/mmlu/test.jsonl', 'jsonl', 'mmlu', ['question', 'choices'], mmlu],
      ['truthfulqa', '../shared/data/truthfulqa/mc_task.json', 'json', null, ['question'], tqa],
    ] as const
  ).map(([name, path, format, shape, fields, list]) => {
    const contaminated = list.filter((s) => s.contaminated).length;
    const tooShort = list.filter((s) => s.too_short).length;
    const judged = list.length - tooShort;
    const count = (grade: ReportSample['grade']) => list.filter((s) => s.grade === grade).length;
    const grades = { verbatim: count('verbatim'), partial: count('partial'), incidental: count('incidental'), clean: count('clean'), too_short: count('too_short') };
    return {
      name,
      path,
      format,
      shape,
      fields: [...fields],
      samples: list.length,
      ngram: 13,
      contaminated,
      too_short: tooShort,
      rate: judged === 0 ? 0 : Math.round((contaminated / judged) * 1e6) / 1e6,
      grades,
    };
  });

  const report: Report = {
    version: 1,
    tool: { name: 'contam', version: '0.1.0' },
    config: {
      unit: 'word',
      ngram: 13,
      min_words: 8,
      encoding: null,
      normalization: 'nfkc-casefold-html-punct-v1',
      rule: 'graded',
      min_overlap: null,
      text_column: 'text',
      id_column: 'id',
      max_matches: 10,
      max_doc_freq: 10,
      minhash: null,
      index: { format_version: 1, shingles: 2417, bloom_bits: 65536, bloom_hashes: 14, bloom_fpr: 0.000262636 },
    },
    corpus: { files: 2, documents: 4134, bytes: 5283729 },
    skipped: [{ file: 'corpus/wiki-00.jsonl.gz', where: 'line 2071', code: 'BAD_JSON', message: 'corpus/wiki-00.jsonl.gz:line 2071: Unexpected end of JSON input' }],
    benchmarks,
    samples,
  };

  const subset = (score: number | null, n: number) => ({ score, n });
  const scores: ScoreReport = {
    version: 1,
    seed: 1234,
    bootstrap_resamples: 1000,
    benchmarks: [
      {
        name: 'gsm8k',
        mode: 'generative',
        results_file: 'lm-eval-out/samples_gsm8k_2026-11-28T10-00-00.jsonl',
        results_format: 'lm-eval',
        joined: 16,
        unjoined: 0,
        unjoined_ids: [],
        joined_by: 'row',
        metrics: [
          {
            name: 'exact_match',
            all: subset(0.5625, 16),
            clean: subset(0.538462, 13),
            contaminated: subset(0.666667, 3),
            delta: { value: -0.024038, ci95: [-0.091346, 0.043269] },
            small_subset: true,
            input_only: subset(0.5, 2),
            input_and_label: subset(1, 1),
          },
        ],
        disagreements: [{ metric: 'exact_match', count: 0, of: 16 }],
      },
      {
        name: 'mmlu',
        mode: 'logprob',
        results_file: 'details_mmlu_2026-11-28.parquet',
        results_format: 'lighteval',
        joined: 12,
        unjoined: 0,
        unjoined_ids: [],
        joined_by: 'id',
        metrics: [
          { name: 'acc', all: subset(0.416667, 12), clean: subset(0.333333, 9), contaminated: subset(0.666667, 3), delta: { value: -0.083333, ci95: [-0.194444, 0.027778] }, small_subset: true },
          { name: 'acc_norm', all: subset(0.5, 12), clean: subset(0.444444, 9), contaminated: subset(0.666667, 3), delta: { value: -0.055556, ci95: [-0.166667, 0.055556] }, small_subset: true },
        ],
        disagreements: [{ metric: 'acc', count: 2, of: 12 }],
      },
    ],
  };
  return { report, scores };
}
