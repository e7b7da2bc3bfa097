/**
 * Per-sample metrics, each a pure function returning a number in [0, 1].
 *
 * Log-prob mode follows lm-evaluation-harness's multiple-choice scoring:
 * `acc` is 1 when the highest log-likelihood belongs to the gold choice, and
 * `acc_norm` divides each log-likelihood by the length of the choice's text in
 * characters (Python's `len`, i.e. Unicode code points, not UTF-16 units or
 * bytes) before taking the argmax. Ties go to the first choice, as numpy's
 * argmax does, so a recomputation agrees with the harness bit for bit.
 *
 * Generative mode follows the SQuAD evaluation script for exact match and
 * token F1 (lowercase, drop ASCII punctuation and the articles a/an/the,
 * collapse whitespace), and GSM8K's two answer extractions as the harness
 * configures them: `strict` reads the number after `#### `, `flexible` takes
 * the last number anywhere in the text.
 */

/** Index of the first largest value (numpy's argmax), or -1 for an empty list. */
export function argmax(values: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i += 1) {
    if (best < 0 || values[i]! > values[best]!) best = i;
  }
  return best;
}

/** Length of a string in Unicode code points, as Python's `len` counts it. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/**
 * Multiple-choice accuracy: 1 when the largest log-likelihood is the gold choice's.
 *
 * @example accuracy([-3.2, -1.5, -7], 1) // 1
 */
export function accuracy(logprobs: readonly number[], gold: number): number {
  return argmax(logprobs) === gold ? 1 : 0;
}

/**
 * Length-normalized accuracy (lm-evaluation-harness `acc_norm`): each
 * log-likelihood divided by its choice's length in characters. A choice of
 * length 0 divides by 0 as numpy does (a negative log-likelihood becomes
 * -Infinity, 0 becomes NaN, which never wins the argmax).
 */
export function lengthNormalizedAccuracy(logprobs: readonly number[], choices: readonly string[], gold: number): number {
  const normalized = logprobs.map((lp, i) => {
    const v = lp / codePointLength(choices[i] ?? '');
    return Number.isNaN(v) ? -Infinity : v;
  });
  return argmax(normalized) === gold ? 1 : 0;
}

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** SQuAD answer normalization: lowercase, drop punctuation and articles, collapse whitespace. */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(PUNCTUATION, '')
    .replace(/\b(a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .join(' ');
}

/** 1 when the normalized prediction equals any normalized reference. */
export function exactMatch(prediction: string, references: readonly string[]): number {
  const p = normalizeAnswer(prediction);
  return references.some((r) => normalizeAnswer(r) === p) ? 1 : 0;
}

function tokenF1(prediction: string, reference: string): number {
  const p = normalizeAnswer(prediction).split(' ').filter(Boolean);
  const r = normalizeAnswer(reference).split(' ').filter(Boolean);
  // SQuAD 2.0's rule for empty answers: they match only each other (1.1 gave 0 even then).
  if (p.length === 0 || r.length === 0) return p.length === r.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of r) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same += 1;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / p.length;
  const recall = same / r.length;
  return (2 * precision * recall) / (precision + recall);
}

/** SQuAD token F1: the best F1 of the prediction against any reference. */
export function squadF1(prediction: string, references: readonly string[]): number {
  let best = 0;
  for (const r of references) best = Math.max(best, tokenF1(prediction, r));
  return best;
}

const STRICT = /#### (-?[0-9.,]+)/;
const FLEXIBLE = /(-?[$0-9.,]{2,})|(-?[0-9]+)/g;

/**
 * GSM8K's final answer from a text: `strict` is the number after `#### `
 * (null when absent), `flexible` the last number anywhere (null when none).
 */
export function extractGsm8kAnswer(text: string): { strict: string | null; flexible: string | null } {
  const strict = STRICT.exec(text)?.[1] ?? null;
  let flexible: string | null = null;
  for (const m of text.matchAll(FLEXIBLE)) flexible = m[1] ?? m[2] ?? null;
  return { strict, flexible };
}

/** Canonical form of an extracted number: no `,` or `$`, no trailing `.`. */
export function canonicalNumber(text: string): string {
  return text.replace(/[,$]/g, '').replace(/\.+$/, '').trim();
}

/**
 * Whether an extracted answer equals the reference's `#### N`: equal after
 * dropping `,`, `$` and a trailing `.` (as the harness's regexes_to_ignore do),
 * or numerically equal when both parse as numbers (`72.00` is `72`).
 */
export function gsm8kAnswerMatches(extracted: string | null, referenceText: string): number {
  if (extracted === null) return 0;
  const goldRaw = extractGsm8kAnswer(referenceText).strict ?? referenceText;
  const a = canonicalNumber(extracted);
  const b = canonicalNumber(goldRaw);
  if (a === b && a !== '') return 1;
  const x = Number(a);
  const y = Number(b);
  return a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y) && x === y ? 1 : 0;
}

/**
 * lm-evaluation-harness's `exact_match` as its GSM8K tasks configure it
 * (gsm8k.yaml, gsm8k-cot.yaml): from both prediction and reference, the
 * regexes_to_ignore `,`, `\$`, `(?s).*#### ` and `\.$` are removed in that
 * order (Python's re.sub, every match; `$` also before a final newline), both
 * are lower-cased (ignore_case), and they must then be equal as strings.
 *
 * @example harnessGsm8kExactMatch('1,234.', 'so ... #### 1234') // 1
 */
export function harnessGsm8kExactMatch(prediction: string, reference: string): number {
  const clean = (text: string) =>
    text
      .replace(/,/g, '')
      .replace(/\$/g, '')
      .replace(/^[\s\S]*#### /, '')
      .replace(/\.(?=\n?$)/g, '')
      .toLowerCase();
  return clean(prediction) === clean(reference) ? 1 : 0;
}
