/**
 * Clean rows of a benchmark as lm-evaluation-harness `--samples` indices:
 * `{"<task name>": [doc indices within that task]}`.
 *
 * The harness numbers a task's documents from 0 in the order of its dataset
 * split (`doc_iterator` in lm_eval/api/task.py), and selects with
 * `--samples` by that number; it expects the indices ascending (it maps the
 * k-th selected doc back to `indices[k]`). Names and splits were read from
 * the task configs of EleutherAI/lm-evaluation-harness at commit 4e7e0d47
 * (0.4.13.dev0; see fixtures/harness/README.md):
 *
 * | shape | harness task(s) | dataset split | documents |
 * | --- | --- | --- | --- |
 * | gsm8k | gsm8k, gsm8k_cot, gsm8k_cot_zeroshot, gsm8k_cot_self_consistency, gsm8k_cot_llama | openai/gsm8k main, test | 1,319 |
 * | mmlu | mmlu_<subject> (57), each indexed from 0 | cais/mmlu <subject>, test | per subject |
 * | hellaswag | hellaswag | Rowan/hellaswag, validation | 10,042 |
 * | arc | arc_challenge, or arc_easy | allenai/ai2_arc ARC-Challenge (ARC-Easy), test | 1,172 (2,376) |
 * | truthfulqa (CSV) | truthfulqa_gen | truthful_qa generation, validation | 817 |
 * | truthfulqa-mc (mc_task.json) | truthfulqa_mc1, truthfulqa_mc2 | truthful_qa multiple_choice, validation | 817 |
 * | boolq | boolq | super_glue boolq, validation | 3,270 |
 *
 * The sizes are those of the published splits (SOURCES.md of ../shared/data
 * for the files there; ARC-Easy's 2,376 test questions from the ARC paper,
 * Clark et al. 2018, table 1); ARC's two sets share one shape and are told
 * apart by size.
 *
 * Invariant: a benchmark file's rows are the harness's documents only when
 * the file holds the whole split, in its order; a file of another size (a
 * slice, the 790-question TruthfulQA, the 1,150-row ARC copy, a train or dev
 * split) would give indices that select other documents. Such a benchmark,
 * and any shape with no single harness task (SQuAD v1.1: the harness has
 * squadv2 and squad_completion only; HumanEval; unrecognised files), is
 * refused with a reason and nothing is written for it.
 */

/** Test-split sizes of MMLU's 57 subjects (cais/mmlu; 14,042 in all), whose harness tasks are `mmlu_<subject>`. */
export const MMLU_TEST_SIZES: Readonly<Record<string, number>> = {
  abstract_algebra: 100,
  anatomy: 135,
  astronomy: 152,
  business_ethics: 100,
  clinical_knowledge: 265,
  college_biology: 144,
  college_chemistry: 100,
  college_computer_science: 100,
  college_mathematics: 100,
  college_medicine: 173,
  college_physics: 102,
  computer_security: 100,
  conceptual_physics: 235,
  econometrics: 114,
  electrical_engineering: 145,
  elementary_mathematics: 378,
  formal_logic: 126,
  global_facts: 100,
  high_school_biology: 310,
  high_school_chemistry: 203,
  high_school_computer_science: 100,
  high_school_european_history: 165,
  high_school_geography: 198,
  high_school_government_and_politics: 193,
  high_school_macroeconomics: 390,
  high_school_mathematics: 270,
  high_school_microeconomics: 238,
  high_school_physics: 151,
  high_school_psychology: 545,
  high_school_statistics: 216,
  high_school_us_history: 204,
  high_school_world_history: 237,
  human_aging: 223,
  human_sexuality: 131,
  international_law: 121,
  jurisprudence: 108,
  logical_fallacies: 163,
  machine_learning: 112,
  management: 103,
  marketing: 234,
  medical_genetics: 100,
  miscellaneous: 783,
  moral_disputes: 346,
  moral_scenarios: 895,
  nutrition: 306,
  philosophy: 311,
  prehistory: 324,
  professional_accounting: 282,
  professional_law: 1534,
  professional_medicine: 272,
  professional_psychology: 612,
  public_relations: 110,
  security_studies: 245,
  sociology: 201,
  us_foreign_policy: 100,
  virology: 166,
  world_religions: 171,
};

/** Whole-split tasks: the shape, the harness tasks that read that split, and its size. */
const WHOLE_SPLIT: Record<string, { tasks: string[]; split: string; documents: number }[]> = {
  gsm8k: [{ tasks: ['gsm8k', 'gsm8k_cot', 'gsm8k_cot_zeroshot', 'gsm8k_cot_self_consistency', 'gsm8k_cot_llama'], split: 'openai/gsm8k test', documents: 1319 }],
  hellaswag: [{ tasks: ['hellaswag'], split: 'Rowan/hellaswag validation', documents: 10042 }],
  arc: [
    { tasks: ['arc_challenge'], split: 'ARC-Challenge test', documents: 1172 },
    { tasks: ['arc_easy'], split: 'ARC-Easy test', documents: 2376 },
  ],
  truthfulqa: [{ tasks: ['truthfulqa_gen'], split: 'truthful_qa generation validation', documents: 817 }],
  'truthfulqa-mc': [{ tasks: ['truthfulqa_mc1', 'truthfulqa_mc2'], split: 'truthful_qa multiple_choice validation', documents: 817 }],
  boolq: [{ tasks: ['boolq'], split: 'super_glue boolq validation', documents: 3270 }],
};

const NO_TASK: Record<string, string> = {
  squad: 'SQuAD v1.1 is no lm-evaluation-harness task (it has squadv2 and squad_completion)',
  'squad-qa': 'SQuAD v1.1 is no lm-evaluation-harness task (it has squadv2 and squad_completion)',
  'squad-contexts': 'SQuAD paragraphs are no lm-evaluation-harness task',
  humaneval: 'HumanEval is scored by execution in the harness (humaneval), not a document list this file is known to match',
};

/**
 * The `--samples` entries of one benchmark, or why there are none. `empty`
 * names tasks with no clean document: they are left out, because the harness
 * reads an empty list (and a missing task) as "every document".
 */
export type LmEvalTasks = { tasks: Record<string, number[]>; empty: string[] } | { reason: string };

function withoutEmpty(tasks: Record<string, number[]>): { tasks: Record<string, number[]>; empty: string[] } {
  const empty = Object.keys(tasks).filter((t) => tasks[t]!.length === 0);
  for (const t of empty) delete tasks[t];
  return { tasks, empty };
}

/**
 * Map a benchmark's kept rows to harness tasks and per-task doc indices.
 *
 * @param shape the report's shape of the benchmark (null: not recognised)
 * @param rows the benchmark file's rows, in order (MMLU needs each row's `subject` and `split`)
 * @param keep the rows to select
 */
export function lmEvalTasks(shape: string | null, rows: readonly unknown[], keep: ReadonlySet<number>): LmEvalTasks {
  if (shape === null) return { reason: 'the file has no recognised shape, so no lm-evaluation-harness task is known for it' };
  if (NO_TASK[shape]) return { reason: NO_TASK[shape]! };
  const sorted = [...keep].sort((a, b) => a - b);
  const candidates = WHOLE_SPLIT[shape];
  if (candidates) {
    const whole = candidates.find((c) => c.documents === rows.length);
    if (!whole) {
      const sizes = candidates.map((c) => `${c.tasks.join('/')} has the ${c.documents} documents of ${c.split}`).join(', ');
      return { reason: `the file has ${rows.length} rows but ${sizes}; its row numbers would select other documents` };
    }
    return withoutEmpty(Object.fromEntries(whole.tasks.map((t) => [t, sorted])));
  }
  if (shape === 'mmlu') return mmluTasks(rows, keep);
  return { reason: `no lm-evaluation-harness task is known for shape '${shape}'` };
}

/** MMLU: one task per subject, indexed from 0 within the subject, for files holding whole subjects of the test split. */
function mmluTasks(rows: readonly unknown[], keep: ReadonlySet<number>): LmEvalTasks {
  const position = new Map<string, number>();
  const tasks: Record<string, number[]> = {};
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown> | null;
    const subject = row?.subject;
    if (typeof subject !== 'string' || !(subject in MMLU_TEST_SIZES)) {
      return { reason: `row ${r} has no 'subject' naming one of MMLU's 57 subjects (${JSON.stringify(subject)}), so its harness task is unknown` };
    }
    if (row!.split !== undefined && row!.split !== 'test') return { reason: `row ${r} is of split '${String(row!.split)}'; the harness's mmlu tasks read the test split` };
    const k = position.get(subject) ?? 0;
    position.set(subject, k + 1);
    const task = `mmlu_${subject}`;
    tasks[task] ??= [];
    if (keep.has(r)) tasks[task].push(k);
  }
  for (const [subject, count] of position) {
    if (count !== MMLU_TEST_SIZES[subject]) {
      return { reason: `the file has ${count} rows of '${subject}' but mmlu_${subject} has ${MMLU_TEST_SIZES[subject]} test documents; its row numbers would select other documents` };
    }
  }
  return withoutEmpty(tasks);
}
