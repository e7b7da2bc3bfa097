/*
 * The scan's word extraction for texts of printable ASCII, compiled to
 * WebAssembly (scripts/build-wasm.mjs; the module is committed, base64, in
 * ascii-words-wasm.ts, and a test rebuilds it and compares). It does what
 * extractWordHashes (normalize.ts) does on such a text, byte for byte: a word
 * is a maximal run of letters and digits, lowercased, punctuation deleted
 * inside it, whitespace and controls between words; a single letter a-j is
 * dropped; each word's hash is XXH32 of its bytes, with its [start, end)
 * offsets. It returns -1, and the caller takes the JavaScript path, at the
 * first byte that path treats otherwise: '<' (an HTML tag?), '&' (an entity?)
 * or a byte over 127 (the caller never passes one: it checks the text is
 * ASCII as it copies it in).
 */
#include <stdint.h>

#define P1 2654435761u
#define P2 2246822519u
#define P3 3266489917u
#define P4 668265263u
#define P5 374761393u

enum { SPACE = 0, WORD = 1, PUNCT = 2, OTHER = 3 };

static uint8_t CLASS[128];
static uint8_t LOWER[128];
static int ready = 0;

static void init(void) {
  for (int c = 0; c < 128; c++) {
    LOWER[c] = (uint8_t)c;
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) CLASS[c] = WORD;
    else if (c >= 'A' && c <= 'Z') {
      CLASS[c] = WORD;
      LOWER[c] = (uint8_t)(c + 32);
    } else if (c <= 32 || c == 127) CLASS[c] = SPACE;
    else if (c == '<' || c == '&') CLASS[c] = OTHER;
    else CLASS[c] = PUNCT;
  }
  ready = 1;
}

static inline uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

static inline uint32_t read32(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24); }

static inline uint32_t round32(uint32_t acc, uint32_t input) { return rotl(acc + input * P2, 13) * P1; }

static uint32_t xxh32(const uint8_t *p, uint32_t len, uint32_t seed) {
  const uint8_t *end = p + len;
  uint32_t h;
  if (len >= 16) {
    const uint8_t *limit = end - 16;
    uint32_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
    do {
      v1 = round32(v1, read32(p));
      v2 = round32(v2, read32(p + 4));
      v3 = round32(v3, read32(p + 8));
      v4 = round32(v4, read32(p + 12));
      p += 16;
    } while (p <= limit);
    h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
  } else h = seed + P5;
  h += len;
  for (; p + 4 <= end; p += 4) h = rotl(h + read32(p) * P3, 17) * P4;
  for (; p < end; p++) h = rotl(h + *p * P5, 11) * P1;
  h ^= h >> 15;
  h *= P2;
  h ^= h >> 13;
  h *= P3;
  h ^= h >> 16;
  return h;
}

/*
 * The words of text[0, len) into hashes, starts and ends (room for len / 2 + 1
 * each); `word` is scratch of len bytes. Returns the number of words, or -1.
 */
__attribute__((export_name("extract"))) int32_t extract(const uint8_t *text, int32_t len, uint32_t seed, uint8_t *word, uint32_t *hashes, int32_t *starts, int32_t *ends) {
  if (!ready) init();
  int32_t count = 0;
  int32_t nb = 0;
  int32_t start = -1;
  int32_t end = 0;
  for (int32_t i = 0; i <= len; i++) {
    uint32_t cls = SPACE;
    if (i < len) {
      uint8_t c = text[i];
      if (c > 127) return -1;
      cls = CLASS[c];
      if (cls == WORD) {
        if (start < 0) start = i;
        word[nb++] = LOWER[c];
        end = i + 1;
        continue;
      }
      if (cls == OTHER) return -1;
      if (cls == PUNCT) continue;
    }
    // A space, a control or the end of the text: the word so far, unless it is a dropped letter.
    if (start >= 0) {
      if (!(nb == 1 && word[0] >= 'a' && word[0] <= 'j')) {
        hashes[count] = xxh32(word, (uint32_t)nb, seed);
        starts[count] = start;
        ends[count] = end;
        count++;
      }
      nb = 0;
      start = -1;
    }
  }
  return count;
}
