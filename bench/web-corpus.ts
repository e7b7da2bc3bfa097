/**
 * A corpus that looks like the web rather than like books: the real prose of
 * ../shared/data/corpus cut into pages of a web-like length distribution
 * (log-normal, median ~2 KB, a long tail to 100 KB), the 8 sources
 * interleaved page by page, and about 11% of pages carrying benchmark-like
 * content, which is where a contamination scanner does its work:
 *
 *   - 4% prose pages with one benchmark test sample planted at a word boundary;
 *   - 4% quiz pages: 3-10 test samples (MMLU, ARC, HellaSwag, GSM8K) in one of
 *     four layouts: `A. ... B. ... Answer: B` lines, `(a) ... (b) ...` inline,
 *     a forum paste with a reply, and a worked problem with its solution;
 *   - 3% quiz pages made the same way from MMLU dev and GSM8K train, which
 *     look like the benchmarks but are not their test sets.
 *
 * Invariant: the same target size gives byte-identical JSONL (a seeded
 * mulberry32, sources in file order), so runs compare.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../src/score/bootstrap.js';
import { sourceDocuments } from './corpus-gen.js';
import { SHARED_DATA } from './shared-data.js';

/** One benchmark item as a page would show it. */
interface Item {
  question: string;
  choices: string[];
  /** Index of the right choice, or -1 for a worked problem (GSM8K). */
  answer: number;
  solution: string;
}

const LETTERS = 'ABCDEFGH';

function jsonl(file: string): Record<string, unknown>[] {
  return readFileSync(path.join(SHARED_DATA, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function mmlu(file: string): Item[] {
  return jsonl(file).map((r) => ({ question: r.question as string, choices: r.choices as string[], answer: r.answer_index as number, solution: '' }));
}

function gsm8k(file: string): Item[] {
  return jsonl(file).map((r) => ({ question: r.question as string, choices: [], answer: -1, solution: (r.answer as string).replace(/<<[^>]*>>/g, '') }));
}

function testItems(): Item[][] {
  const arc = jsonl('arc/ARC-Challenge-Test.jsonl').map((r) => {
    const q = r.question as { stem: string; choices: { text: string; label: string }[] };
    return { question: q.stem, choices: q.choices.map((c) => c.text), answer: q.choices.findIndex((c) => c.label === r.answerKey), solution: '' };
  });
  const hellaswag = jsonl('hellaswag/val.jsonl').map((r) => ({
    question: `${r.activity_label as string}: ${r.ctx as string}`,
    choices: r.endings as string[],
    answer: r.label as number,
    solution: '',
  }));
  return [mmlu('mmlu/test.jsonl'), arc, hellaswag, gsm8k('gsm8k/test.jsonl')];
}

const HEADERS = ['Practice test', 'Quiz: check your understanding', 'Chapter review questions', 'Sample exam questions with answers', 'Homework help', 'Trivia night'];
const NAMES = ['jdoe42', 'mathfan', 'curious_cat', 'tutor_mike', 'anon', 'studybuddy'];

/** An item in one of four layouts (`layout` 0-3). */
function render(item: Item, layout: number, k: number, rnd: () => number): string {
  if (item.answer < 0 || layout === 3) {
    const solution = item.solution || `The answer is ${item.choices[item.answer] ?? ''}.`;
    return `Problem ${k}. ${item.question}\nSolution: ${solution}`;
  }
  const letter = LETTERS[item.answer] ?? 'A';
  if (layout === 0) return `${k}. ${item.question}\n${item.choices.map((c, i) => `${LETTERS[i]}. ${c}`).join('\n')}\nAnswer: ${letter}`;
  if (layout === 1) return `Q${k}: ${item.question} ${item.choices.map((c, i) => `(${LETTERS[i]!.toLowerCase()}) ${c}`).join(' ')} Ans: (${letter.toLowerCase()})`;
  const who = NAMES[Math.floor(rnd() * NAMES.length)]!;
  return `Posted by ${who}\nCan anyone help with this one? I keep getting it wrong.\n\n${item.question}\n${item.choices.map((c, i) => `${LETTERS[i]}) ${c}`).join('\n')}\n\nReply from ${NAMES[(NAMES.indexOf(who) + 1) % NAMES.length]}: it's ${letter}, ${item.choices[item.answer]}. Hope that helps!`;
}

/** What kind of page each is, and how often. */
export const WEB_MIX = { prose: 0.89, planted: 0.04, quiz: 0.04, nearQuiz: 0.03 };

export interface WebCorpus {
  file: string;
  documents: number;
  /** Pages of each kind. */
  kinds: Record<keyof typeof WEB_MIX, number>;
}

/**
 * Write the web-like corpus of about `targetBytes` as JSONL into `dir` (reused
 * when there), with `{id, text, source}` records.
 */
export async function generateWebCorpus(dir: string, targetBytes: number): Promise<WebCorpus> {
  const file = path.join(dir, `web-${Math.round(targetBytes / 1e6)}mb.jsonl`);
  const kinds = { prose: 0, planted: 0, quiz: 0, nearQuiz: 0 };
  const summary = `${file}.kinds.json`;
  if (existsSync(file) && existsSync(summary)) return JSON.parse(readFileSync(summary, 'utf8')) as WebCorpus;

  mkdirSync(dir, { recursive: true });
  const rnd = mulberry32(15);
  const docs = sourceDocuments();
  const bySource = new Map<string, string[]>();
  for (const d of docs) bySource.set(d.source, [...(bySource.get(d.source) ?? []), d.text]);
  const sources = [...bySource.entries()];
  const cursor = sources.map(() => ({ doc: 0, at: 0 }));
  const tests = testItems();
  const near = [mmlu('mmlu/dev.jsonl'), gsm8k('gsm8k/train.jsonl')];

  // Log-normal page length in characters: median 2,000, sigma 1.1, within [100, 100,000].
  const pageLength = () => {
    const normal = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    return Math.min(100_000, Math.max(100, Math.round(2000 * Math.exp(1.1 * normal))));
  };
  // The next `length` characters of a source, from a word boundary, going on to its next document as needed.
  const prose = (s: number, length: number) => {
    const [, texts] = sources[s]!;
    const c = cursor[s]!;
    let out = '';
    while (out.length < length) {
      const text = texts[c.doc % texts.length]!;
      if (c.at >= text.length) {
        c.doc++;
        c.at = 0;
        continue;
      }
      let end = Math.min(text.length, c.at + length - out.length);
      const space = text.indexOf(' ', end);
      end = space < 0 || space - end > 50 ? end : space;
      out += (out ? '\n\n' : '') + text.slice(c.at, end).trim();
      c.at = end;
    }
    return out;
  };
  const quiz = (pools: Item[][]) => {
    const pool = pools[Math.floor(rnd() * pools.length)]!;
    const layout = Math.floor(rnd() * 4);
    const count = 3 + Math.floor(rnd() * 8);
    const first = Math.floor(rnd() * pool.length);
    const items = Array.from({ length: count }, (_, k) => render(pool[(first + k) % pool.length]!, layout, k + 1, rnd));
    return `${HEADERS[Math.floor(rnd() * HEADERS.length)]}\n\n${items.join('\n\n')}`;
  };

  const tmp = `${file}.tmp`;
  const stream = createWriteStream(tmp);
  let written = 0;
  let n = 0;
  while (written < targetBytes) {
    const s = n % sources.length;
    const r = rnd();
    let text: string;
    let kind: keyof typeof kinds;
    if (r < WEB_MIX.nearQuiz) {
      kind = 'nearQuiz';
      text = quiz(near);
    } else if (r < WEB_MIX.nearQuiz + WEB_MIX.quiz) {
      kind = 'quiz';
      text = quiz(tests);
    } else if (r < WEB_MIX.nearQuiz + WEB_MIX.quiz + WEB_MIX.planted) {
      kind = 'planted';
      const page = prose(s, pageLength());
      const pool = tests[Math.floor(rnd() * tests.length)]!;
      const item = render(pool[Math.floor(rnd() * pool.length)]!, Math.floor(rnd() * 4), 1, rnd);
      let at = Math.floor(rnd() * page.length);
      at = Math.max(0, page.lastIndexOf(' ', at));
      text = `${page.slice(0, at)} ${item} ${page.slice(at)}`;
    } else {
      kind = 'prose';
      text = prose(s, pageLength());
    }
    kinds[kind]++;
    const line = `${JSON.stringify({ id: `web-${n}`, text, source: sources[s]![0] })}\n`;
    written += Buffer.byteLength(line);
    n++;
    if (!stream.write(line)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  await new Promise((resolve) => stream.end(resolve));
  renameSync(tmp, file);
  const corpus = { file, documents: n, kinds };
  await import('node:fs/promises').then((fs) => fs.writeFile(summary, JSON.stringify(corpus)));
  return corpus;
}
