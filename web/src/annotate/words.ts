// Selection snapping in code points: whole words by default, whole graphemes for exact (Shift) selections.

export interface Range {
  start: number;
  end: number;
}

// Letters, digits, combining marks and the pieces of emoji sequences (ZWJ, variation selectors,
// skin tones, flags) all belong to a word, so a snapped span never splits a character the user sees.
const WORD = /[\p{L}\p{N}\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200d\ufe0e\ufe0f]/u;
// Joiners that stay inside a word when a word character stands on both sides: high-κ, don't, 3.5, snake_case.
const CONNECTOR = new Set(["-", "\u2010", "\u2011", "'", "\u2019", "_", "."]);
const DIGIT = /\p{Nd}/u;
const SPACE = /\s/u;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD.test(ch);
}

/** Whether code point i belongs to a word (a word character or a connector between two). */
export function inWord(chars: readonly string[], i: number): boolean {
  const ch = chars[i];
  if (ch === undefined) return false;
  if (isWordChar(ch)) return true;
  const prev = chars[i - 1];
  const next = chars[i + 1];
  if (CONNECTOR.has(ch)) return isWordChar(prev) && isWordChar(next);
  // 1,000 stays one number.
  if (ch === ",") return prev !== undefined && next !== undefined && DIGIT.test(prev) && DIGIT.test(next);
  return false;
}

/** The word containing code point `pos` (or ending right before it), or null when there is none. */
export function wordAt(chars: readonly string[], pos: number): Range | null {
  if (!inWord(chars, pos)) {
    if (pos > 0 && inWord(chars, pos - 1)) pos -= 1;
    else return null;
  }
  let start = pos;
  let end = pos + 1;
  while (start > 0 && inWord(chars, start - 1)) start--;
  while (end < chars.length && inWord(chars, end)) end++;
  return { start, end };
}

/**
 * Word snapping: trims spaces and punctuation at both ends of the selection, then grows each end to
 * the edge of the word it is in. A selection of punctuation only keeps its exact extent minus spaces.
 * Returns null for an empty or whitespace-only selection.
 */
export function snapToWords(chars: readonly string[], sel: Range): Range | null {
  let { start, end } = clampRange(chars.length, sel);
  let s = start;
  let e = end;
  while (s < e && !inWord(chars, s)) s++;
  while (e > s && !inWord(chars, e - 1)) e--;
  if (s >= e) return trimSpaces(chars, { start, end });
  while (s > 0 && inWord(chars, s - 1)) s--;
  while (e < chars.length && inWord(chars, e)) e++;
  return { start: s, end: e };
}

/** Trims whitespace at both ends; null when nothing is left. */
export function trimSpaces(chars: readonly string[], sel: Range): Range | null {
  let { start, end } = clampRange(chars.length, sel);
  while (start < end && SPACE.test(chars[start])) start++;
  while (end > start && SPACE.test(chars[end - 1])) end--;
  return start < end ? { start, end } : null;
}

/**
 * Grapheme boundaries of a text in code points, ascending, including 0 and the length. Exact
 * selections snap to them so a span never cuts an emoji ZWJ sequence or a letter from its accent.
 */
export function graphemeBoundaries(text: string): number[] {
  const out: number[] = [0];
  const Seg = (Intl as unknown as { Segmenter?: new (l?: string, o?: object) => { segment(s: string): Iterable<{ segment: string }> } }).Segmenter;
  let cp = 0;
  if (Seg) {
    for (const g of new Seg(undefined, { granularity: "grapheme" }).segment(text)) {
      cp += Array.from(g.segment).length;
      out.push(cp);
    }
  } else {
    for (const _ of text) out.push(++cp);
  }
  if (out.length === 1 && text.length > 0) out.push(Array.from(text).length);
  return out;
}

/** Exact (character) snapping: widens the range to grapheme boundaries and trims outer whitespace. */
export function snapToGraphemes(chars: readonly string[], bounds: readonly number[], sel: Range): Range | null {
  const r = clampRange(chars.length, sel);
  let start = r.start;
  let end = r.end;
  // Largest boundary <= start, smallest boundary >= end.
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid] <= start) lo = mid;
    else hi = mid - 1;
  }
  start = bounds[lo] ?? 0;
  lo = 0;
  hi = bounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid] >= end) hi = mid;
    else lo = mid + 1;
  }
  end = bounds[lo] ?? chars.length;
  return trimSpaces(chars, { start, end });
}

/** Next word after position `pos` (for the keyboard word cursor), or null at the end. */
export function nextWord(chars: readonly string[], pos: number): Range | null {
  let i = Math.max(0, pos);
  while (i < chars.length && !inWord(chars, i)) i++;
  return i < chars.length ? wordAt(chars, i) : null;
}

/** Word ending at or before position `pos` (for the keyboard word cursor), or null at the start. */
export function previousWord(chars: readonly string[], pos: number): Range | null {
  let i = Math.min(chars.length, pos) - 1;
  while (i >= 0 && !inWord(chars, i)) i--;
  return i >= 0 ? wordAt(chars, i) : null;
}

function clampRange(len: number, r: Range): Range {
  const a = Math.max(0, Math.min(len, Math.min(r.start, r.end)));
  const b = Math.max(0, Math.min(len, Math.max(r.start, r.end)));
  return { start: a, end: b };
}
