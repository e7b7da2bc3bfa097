/**
 * Builds src/text/ascii-words.c to WebAssembly and writes the module, base64,
 * into src/text/ascii-words-wasm.ts (committed, so neither `npm ci` nor the
 * TypeScript build needs a C compiler). Needs clang and wasm-ld (Debian:
 * `apt install clang lld`).
 *
 *   node scripts/build-wasm.mjs            # rebuild and write the module
 *   node scripts/build-wasm.mjs --check    # exit 1 if the committed module differs from a fresh build
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const source = path.join(root, 'src/text/ascii-words.c');
const target = path.join(root, 'src/text/ascii-words-wasm.ts');

export function buildAsciiWords() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'contam-wasm-'));
  try {
    const out = path.join(dir, 'ascii-words.wasm');
    execFileSync('clang', ['--target=wasm32', '-O3', '-nostdlib', '-fno-builtin', '-Wall', '-Werror', '-Wl,--no-entry', '-Wl,--export=__heap_base', '-Wl,--strip-all', '-o', out, source], { stdio: ['ignore', 'inherit', 'inherit'] });
    const base64 = readFileSync(out).toString('base64');
    return `/**\n * src/text/ascii-words.c as WebAssembly, base64: written by scripts/build-wasm.mjs (npm run build:wasm), not by hand.\n */\nexport const ASCII_WORDS_WASM =\n  '${base64}';\n`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const built = buildAsciiWords();
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== built) {
      console.error(`${path.relative(root, target)} differs from a build of ${path.relative(root, source)}: run npm run build:wasm`);
      process.exit(1);
    }
  } else writeFileSync(target, built);
}
