/**
 * writeSlurmJobs and submitSlurmJobs as library calls, with a recorder
 * standing in for sbatch: what is checked before anything is written, what
 * is written, the order and arguments of the submissions, and the error of a
 * half-submission (the scan queued, its merge refused), which must name the
 * queued job and the command that submits its merge.
 */
import test from 'ava';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { submitSlurmJobs, writeSlurmJobs } from '../../src/cluster/slurm.js';
import { ContamError } from '../../src/errors.js';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'contam-slurm-lib-'));
const index = path.join(tmp, 'evals.cidx');
writeFileSync(index, 'stands for an index: only its existence is checked');

/** A fake sbatch that logs its arguments and prints job id 100 + n, failing call `failAt` with a message. */
function fakeSbatch(name: string, failAt: number): { bin: string; log: string } {
  const log = path.join(tmp, `${name}.log`);
  const bin = path.join(tmp, name);
  writeFileSync(
    bin,
    `#!/bin/bash\nn=$(( $(cat ${JSON.stringify(log)} 2>/dev/null | wc -l) + 1 ))\necho "$*" >> ${JSON.stringify(log)}\nif [ "$n" = ${failAt} ]; then echo "sbatch: error: Batch job submission failed: Invalid partition" >&2; exit 1; fi\necho "$((100 + n));cluster"\n`,
  );
  chmodSync(bin, 0o755);
  return { bin, log };
}

const jobOptions = (output: string) => ({ index, corpus: ['fixtures/corpus'], shards: 3, output, workdir: root, contamCommand: 'contam', scan: { minOverlap: 0.5, textColumn: 'body' } });

test('writeSlurmJobs writes both scripts and the logs folder, passing scan settings on as flags', async (t) => {
  const out = path.join(tmp, 'written');
  const jobs = await writeSlurmJobs(jobOptions(out));
  t.deepEqual(jobs, { scanScript: path.join(out, 'scan.sbatch'), mergeScript: path.join(out, 'merge.sbatch'), shards: 3, report: path.join(out, 'report.json'), logs: path.join(out, 'logs') });
  t.deepEqual(readdirSync(out).sort(), ['logs', 'merge.sbatch', 'scan.sbatch']);
  t.regex(readFileSync(jobs.scanScript, 'utf8'), / --text-column body --min-overlap 0\.5 -- fixtures\/corpus$/m);
});

test('writeSlurmJobs refuses a missing index or corpus by code before anything is written', async (t) => {
  const out = path.join(tmp, 'never-written');
  const missingIndex = await t.throwsAsync(writeSlurmJobs({ ...jobOptions(out), index: path.join(tmp, 'missing.cidx') }), { instanceOf: ContamError });
  t.is(missingIndex?.code, 'FILE_NOT_FOUND');
  const missingCorpus = await t.throwsAsync(writeSlurmJobs({ ...jobOptions(out), corpus: [path.join(tmp, 'no-corpus')] }), { instanceOf: ContamError });
  t.is(missingCorpus?.code, 'FILE_NOT_FOUND');
  t.false(existsSync(out));
});

test('submitSlurmJobs submits the scan, then the merge after it', async (t) => {
  const jobs = await writeSlurmJobs(jobOptions(path.join(tmp, 'submitted')));
  const sbatch = fakeSbatch('sbatch-ok', 0);
  t.deepEqual(await submitSlurmJobs(jobs, { sbatch: sbatch.bin }), { scanJob: '101', mergeJob: '102' });
  t.is(readFileSync(sbatch.log, 'utf8'), `--parsable ${jobs.scanScript}\n--parsable --dependency=afterok:101 ${jobs.mergeScript}\n`);
});

test('a merge that sbatch refuses after the scan was queued names the queued job and how to submit its merge', async (t) => {
  const jobs = await writeSlurmJobs(jobOptions(path.join(tmp, 'half')));
  const sbatch = fakeSbatch('sbatch-half', 2);
  const error = await t.throwsAsync(submitSlurmJobs(jobs, { sbatch: sbatch.bin }), { instanceOf: ContamError });
  t.is(error?.code, 'BAD_ARGUMENT');
  t.is(error?.message, `${jobs.mergeScript}: ${jobs.mergeScript}: sbatch refused the job: sbatch: error: Batch job submission failed: Invalid partition; the scan job 101 is queued without its merge`);
  t.is(error?.hint, `submit it with \`sbatch --dependency=afterok:101 ${jobs.mergeScript}\`, or \`scancel 101\``);
});

test('a scan that sbatch refuses submits nothing more', async (t) => {
  const jobs = await writeSlurmJobs(jobOptions(path.join(tmp, 'refused')));
  const sbatch = fakeSbatch('sbatch-none', 1);
  const error = await t.throwsAsync(submitSlurmJobs(jobs, { sbatch: sbatch.bin }), { instanceOf: ContamError });
  t.is(error?.message, `${jobs.scanScript}: sbatch refused the job: sbatch: error: Batch job submission failed: Invalid partition`);
  t.is(readFileSync(sbatch.log, 'utf8').split('\n').length, 2);
});
