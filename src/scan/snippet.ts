/**
 * The corpus text shown beside a match: the first matched span with some
 * context on either side, extended over later spans up to a cap, so a reader
 * sees the copied passage itself and what surrounds it.
 */

export const SNIPPET_CONTEXT = 120;
export const SNIPPET_MAX_MATCH = 1500;

/** [start, end) of the snippet for `spans` (sorted, merged) in a text of `length` characters. */
export function snippetRange(spans: [number, number][], length: number): [number, number] {
  const first = spans[0]!;
  const last = spans[spans.length - 1]!;
  const start = Math.max(0, first[0] - SNIPPET_CONTEXT);
  const matchEnd = Math.max(first[1], Math.min(last[1], first[0] + SNIPPET_MAX_MATCH));
  return [start, Math.min(length, matchEnd + SNIPPET_CONTEXT)];
}

/** The snippet text, with its start offset in the document. */
export function makeSnippet(text: string, spans: [number, number][]): { snippet: string; start: number } {
  // Never cut a surrogate pair in two.
  let [start, end] = snippetRange(spans, text.length);
  const isLow = (i: number) => {
    const c = text.charCodeAt(i);
    return c >= 0xdc00 && c <= 0xdfff;
  };
  if (start > 0 && isLow(start)) start -= 1;
  if (end < text.length && isLow(end)) end += 1;
  return { snippet: text.slice(start, end), start };
}
