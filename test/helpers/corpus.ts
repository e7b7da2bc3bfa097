/** A multi-file JSONL corpus for scan tests: real prose from the fixtures with GSM8K questions planted. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gsm8kSamples, proseDocuments, random } from './samples.js';

export function writeCorpus(dir: string, files = 12, perFile = 20, seed = 3): string[] {
  mkdirSync(dir, { recursive: true });
  const prose = proseDocuments();
  const bench = gsm8kSamples(40);
  const rand = random(seed);
  const out: string[] = [];
  for (let f = 0; f < files; f++) {
    const lines: string[] = [];
    for (let r = 0; r < perFile; r++) {
      let text = prose[(f * perFile + r) % prose.length]!.text;
      if (rand() < 0.3) {
        const s = bench.samples[Math.floor(rand() * bench.samples.length)]!;
        text = `${text.slice(0, 400)}\n${s.segments[0]!.text}\n${text.slice(400)}`;
      }
      lines.push(JSON.stringify({ id: `f${f}-r${r}`, text }));
    }
    const file = path.join(dir, `part-${String(f).padStart(2, '0')}.jsonl`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    out.push(file);
  }
  return out;
}
