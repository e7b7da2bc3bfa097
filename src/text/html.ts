/**
 * The HTML a normalizer removes or decodes: tags and comments (word breaks)
 * and character entities. Only known element names make a tag, so `a < b` or
 * `x<y` in code or maths stays text.
 */
const HTML_ELEMENTS = new Set(
  (
    'a abbr address area article aside audio b base bdi bdo big blockquote body br button canvas caption center cite code col colgroup ' +
    'data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 ' +
    'head header hgroup hr html i iframe img input ins kbd label legend li link main map mark menu meta meter nav noscript object ol optgroup ' +
    'option output p param picture pre progress q rp rt ruby s samp script section select small source span strike strong style sub summary ' +
    'sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr math mi mn mo mrow msup msub mfrac'
  ).split(' '),
);

/**
 * If an HTML tag or comment starts at `i` (text[i] === '<'), return the index just past it, else -1.
 * Only known element names count, so `a < b` or `x<y` in code or maths is left as text.
 */
export function matchTag(text: string, i: number): number {
  const len = text.length;
  let j = i + 1;
  if (text.startsWith('!--', j)) {
    const close = text.indexOf('-->', j + 3);
    return close < 0 || close - i > 65536 ? -1 : close + 3;
  }
  if (text.charCodeAt(j) === 47 /* / */) j++;
  const nameStart = j;
  while (j < len) {
    const c = text.charCodeAt(j);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (j > nameStart && c >= 48 && c <= 57)) j++;
    else break;
  }
  if (j === nameStart || j - nameStart > 10) return -1;
  if (!HTML_ELEMENTS.has(text.slice(nameStart, j).toLowerCase())) return -1;
  const c = text.charCodeAt(j);
  if (c === 62 /* > */) return j + 1;
  if (!(c === 32 || c === 9 || c === 10 || c === 13 || c === 47)) return -1;
  // Attributes: scan to '>' honouring quotes; give up on '<' or after 4 KiB. Real attributes
  // have '=' (`class="x"`); without one, `a<b and b>c` in maths or code would read as a tag.
  let quote = 0;
  let sawEquals = false;
  const limit = Math.min(len, i + 4096);
  for (j += 1; j < limit; j++) {
    const d = text.charCodeAt(j);
    if (quote) {
      if (d === quote) quote = 0;
    } else if (d === 34 || d === 39) quote = d;
    else if (d === 61) sawEquals = true;
    else if (d === 62) return sawEquals || text.charCodeAt(j - 1) === 47 || /^\s*$/.test(text.slice(i + 1, j).replace(/^\/?[A-Za-z0-9]+/, '')) ? j + 1 : -1;
    else if (d === 60) return -1;
  }
  return -1;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  ndash: '\u2013',
  mdash: '\u2014',
  lsquo: '\u2018',
  rsquo: '\u2019',
  sbquo: '\u201a',
  ldquo: '\u201c',
  rdquo: '\u201d',
  bdquo: '\u201e',
  hellip: '\u2026',
  laquo: '\u00ab',
  raquo: '\u00bb',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  deg: '\u00b0',
  plusmn: '\u00b1',
  times: '\u00d7',
  divide: '\u00f7',
  middot: '\u00b7',
  bull: '\u2022',
  shy: '\u00ad',
  cent: '\u00a2',
  pound: '\u00a3',
  euro: '\u20ac',
  yen: '\u00a5',
  sect: '\u00a7',
  para: '\u00b6',
  frac12: '\u00bd',
  frac14: '\u00bc',
  frac34: '\u00be',
  sup2: '\u00b2',
  sup3: '\u00b3',
  micro: '\u00b5',
  minus: '\u2212',
  le: '\u2264',
  ge: '\u2265',
  ne: '\u2260',
  infin: '\u221e',
  larr: '\u2190',
  rarr: '\u2192',
  zwj: '\u200d',
  zwnj: '\u200c',
  aacute: 'á',
  agrave: 'à',
  acirc: 'â',
  auml: 'ä',
  atilde: 'ã',
  aring: 'å',
  aelig: 'æ',
  ccedil: 'ç',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  euml: 'ë',
  iacute: 'í',
  igrave: 'ì',
  icirc: 'î',
  iuml: 'ï',
  ntilde: 'ñ',
  oacute: 'ó',
  ograve: 'ò',
  ocirc: 'ô',
  ouml: 'ö',
  otilde: 'õ',
  oslash: 'ø',
  uacute: 'ú',
  ugrave: 'ù',
  ucirc: 'û',
  uuml: 'ü',
  yacute: 'ý',
  yuml: 'ÿ',
  szlig: 'ß',
  Aacute: 'Á',
  Agrave: 'À',
  Auml: 'Ä',
  Eacute: 'É',
  Ouml: 'Ö',
  Uuml: 'Ü',
  Ntilde: 'Ñ',
  Ccedil: 'Ç',
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  pi: 'π',
  sigma: 'σ',
  mu: 'μ',
  lambda: 'λ',
  theta: 'θ',
  omega: 'ω',
  Delta: 'Δ',
  Sigma: 'Σ',
  Omega: 'Ω',
};

/** If an HTML entity starts at `i` (text[i] === '&'), return [decoded, end], else null. */
export function matchEntity(text: string, i: number): [string, number] | null {
  const semi = text.indexOf(';', i + 2);
  if (semi < 0 || semi - i > 33) return null;
  const body = text.slice(i + 1, semi);
  if (body.charCodeAt(0) === 35 /* # */) {
    const hex = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88;
    const digits = body.slice(hex ? 2 : 1);
    if (!(hex ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) return null;
    const cp = parseInt(digits, hex ? 16 : 10);
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    return [String.fromCodePoint(cp), semi + 1];
  }
  const decoded = NAMED_ENTITIES[body];
  return decoded === undefined ? null : [decoded, semi + 1];
}
