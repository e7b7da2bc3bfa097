/**
 * Field paths into benchmark rows, and the text segments they yield.
 *
 * A path is dotted (`question.stem`); when it meets an array it continues into
 * every element, so `question.choices.text` yields each choice's text. A value
 * that is a list yields one segment per element. Segment names spell the
 * indices taken (`choices[2]`, `question.choices[0].text`), so the index can
 * always say which piece of a sample matched. Invariant: extraction never
 * drops a value silently: null and missing give no segment, strings and
 * scalars give one, and an object where text was expected is an error.
 */
import { ContamError } from '../../errors.js';
import type { FieldSpec, TextSegment } from '../../types.js';

/**
 * Parse the `#field,field:label,field:distractor` part of an `--eval` argument.
 *
 * @throws ContamError `BAD_ARGUMENT` for an empty field, an unknown `:flag`, or a repeated field
 */
export function parseFieldList(list: string, argument: string): FieldSpec[] {
  const fields: FieldSpec[] = [];
  for (const raw of list.split(',')) {
    let path = raw.trim();
    let label = false;
    let distractor = false;
    const colon = path.lastIndexOf(':');
    if (colon >= 0) {
      const flag = path.slice(colon + 1).trim();
      if (flag !== 'label' && flag !== 'distractor') {
        throw new ContamError('BAD_ARGUMENT', `unknown field flag ':${flag}' in '${argument}'`, { hint: "the flags are ':label' and ':distractor', as in #question,answer:label,wrong:distractor" });
      }
      label = flag === 'label';
      distractor = flag === 'distractor';
      path = path.slice(0, colon).trim();
    }
    if (path === '' || path.split('.').some((p) => p === '')) {
      throw new ContamError('BAD_ARGUMENT', `empty field name in '${argument}'`, { hint: 'write fields as #question,answer:label (dotted paths like question.stem are allowed)' });
    }
    if (fields.some((f) => f.path === path)) {
      throw new ContamError('BAD_ARGUMENT', `field '${path}' is named twice in '${argument}'`, { hint: 'name each field once' });
    }
    fields.push(distractor ? { path, label, distractor } : { path, label });
  }
  return fields;
}

/** A field as `--eval` spells it: `answer:label`, `wrong:distractor`, or its path. */
export function fieldSpecText(field: FieldSpec): string {
  return field.label ? `${field.path}:label` : field.distractor ? `${field.path}:distractor` : field.path;
}

/** Where a row is, for error messages. */
export interface RowPlace {
  file: string;
  where: string;
}

/**
 * Append the segments a field yields for one row.
 *
 * @returns whether the path reached a value at all (null counts as reached), so
 *   callers can tell a field that exists nowhere from one that is sometimes null
 */
export function extractSegments(row: unknown, field: FieldSpec, out: TextSegment[], place: RowPlace): boolean {
  return walk(row, field.path.split('.'), 0, '', field, out, place);
}

function walk(value: unknown, parts: string[], i: number, name: string, field: FieldSpec, out: TextSegment[], place: RowPlace): boolean {
  if (value === undefined) return false;
  if (i === parts.length) {
    leaf(value, name, field, out, place);
    return true;
  }
  if (Array.isArray(value)) {
    let reached = false;
    for (let k = 0; k < value.length; k++) {
      if (walk(value[k], parts, i, `${name}[${k}]`, field, out, place)) reached = true;
    }
    return reached;
  }
  if (value === null || typeof value !== 'object') return false;
  const key = parts[i]!;
  if (!Object.hasOwn(value, key)) return false;
  return walk((value as Record<string, unknown>)[key], parts, i + 1, name === '' ? key : `${name}.${key}`, field, out, place);
}

function segmentOf(name: string, text: string, field: FieldSpec): TextSegment {
  return field.distractor ? { field: name, text, label: false, distractor: true } : { field: name, text, label: field.label };
}

function leaf(value: unknown, name: string, field: FieldSpec, out: TextSegment[], place: RowPlace): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') {
    out.push(segmentOf(name, value, field));
  } else if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) leaf(value[k], `${name}[${k}]`, field, out, place);
  } else if (typeof value === 'object') {
    throw new ContamError('BAD_VALUE', `field '${name}' holds an object, not text`, {
      file: place.file,
      where: place.where,
      hint: `name a path inside it, e.g. ${field.path}.${Object.keys(value)[0] ?? 'text'}`,
    });
  } else {
    out.push(segmentOf(name, String(value), field));
  }
}

/**
 * The dotted paths a row offers, for "field not found" messages: keys in
 * order, with nested objects (and objects inside arrays) spelled out.
 */
export function availablePaths(row: unknown, prefix = '', out: string[] = [], depth = 0): string[] {
  if (Array.isArray(row)) {
    const first = row.find((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
    if (first !== undefined) availablePaths(first, prefix, out, depth);
    return out;
  }
  if (row === null || typeof row !== 'object' || depth > 4) return out;
  for (const [key, value] of Object.entries(row)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const nested = value !== null && typeof value === 'object' && (!Array.isArray(value) || value.some((v) => v !== null && typeof v === 'object' && !Array.isArray(v)));
    if (nested) availablePaths(value, path, out, depth + 1);
    else if (!out.includes(path)) out.push(path);
  }
  return out;
}
