/**
 * Which shard this process scans: `I/N` as written, or `env`, read from the
 * scheduler that started it: a Slurm array task (SLURM_ARRAY_TASK_ID and
 * SLURM_ARRAY_TASK_COUNT, counted from SLURM_ARRAY_TASK_MIN) or a Kubernetes
 * Indexed Job (JOB_COMPLETION_INDEX, with CONTAM_SHARDS for the count, which
 * Kubernetes does not expose). Shards are 0-based.
 */
import { ContamError } from '../errors.js';
import type { ShardSpec } from '../scan/scan.js';

/** The shard `text` names (`I/N` or `env`), errors naming the option `shard`. */
export function shardOf(text: string, env: NodeJS.ProcessEnv = process.env): ShardSpec {
  let spec = text;
  if (text === 'env') {
    if (env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_COUNT !== undefined) {
      const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
      spec = `${Number(env.SLURM_ARRAY_TASK_ID) - min}/${env.SLURM_ARRAY_TASK_COUNT}`;
    } else if (env.JOB_COMPLETION_INDEX !== undefined && env.CONTAM_SHARDS !== undefined) {
      spec = `${env.JOB_COMPLETION_INDEX}/${env.CONTAM_SHARDS}`;
    } else {
      throw new ContamError('BAD_ARGUMENT', 'shard: env needs SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (Slurm) or JOB_COMPLETION_INDEX and CONTAM_SHARDS (Kubernetes)');
    }
  }
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new ContamError('BAD_ARGUMENT', `shard: expected I/N with 0 <= I < N (or 'env'), got '${text}'`);
  return { index: Number(m[1]), count: Number(m[2]) };
}
