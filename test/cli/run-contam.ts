/** Running the built CLI from tests: exit code, stdout and stderr, and checksums to see that inputs did not change. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const root = path.resolve(import.meta.dirname, '../..');
export const cli = path.join(root, 'dist/src/cli/main.js');

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `contam args` in `cwd` (default: the checkout); never throws for a non-zero exit. */
export async function contam(args: string[], cwd = root, env: NodeJS.ProcessEnv = process.env): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env: { ...env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** SHA-256 of every file below the folders and of the files given, by path. */
export function checksums(paths: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
    else if (st.isFile()) out[p] = createHash('sha256').update(readFileSync(p)).digest('hex');
  };
  paths.forEach(visit);
  return out;
}

/** The CLI's refusal: exit 2 and exactly one line on stderr matching `message` (so no stack trace). */
export function assertRefused(t: { is: (a: unknown, b: unknown, m?: string) => void; regex: (a: string, r: RegExp, m?: string) => void }, r: Outcome, message: RegExp): void {
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, message);
  t.is(r.stderr.trim().split('\n').length, 1, r.stderr);
}
