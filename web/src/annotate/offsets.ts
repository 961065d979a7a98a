// Code point <-> UTF-16 offset conversion: the API counts Unicode code points, the DOM counts UTF-16 units.

/**
 * Converts offsets for one text. Texts without astral characters (the common case) convert by identity;
 * otherwise each lookup is a binary search over the positions of the astral characters.
 */
export class OffsetMap {
  readonly text: string;
  /** Length of the text in code points (what the API calls len(text)). */
  readonly length: number;
  // Code point index and UTF-16 index of every astral character (two UTF-16 units), ascending.
  private readonly astralCp: number[] = [];
  private readonly astralU16: number[] = [];

  constructor(text: string) {
    this.text = text;
    let cp = 0;
    for (let u = 0; u < text.length; u++, cp++) {
      const c = text.charCodeAt(u);
      if (c >= 0xd800 && c <= 0xdbff && u + 1 < text.length) {
        const d = text.charCodeAt(u + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.astralCp.push(cp);
          this.astralU16.push(u);
          u++;
        }
      }
    }
    this.length = cp;
  }

  /** UTF-16 index of code point index `cp` (0..length). Out-of-range input is clamped. */
  toUtf16(cp: number): number {
    cp = Math.max(0, Math.min(this.length, Math.trunc(cp)));
    // Every astral character before cp adds one extra UTF-16 unit.
    return cp + countBelow(this.astralCp, cp);
  }

  /**
   * Code point index of UTF-16 index `u`. An index inside a surrogate pair (which a DOM selection can
   * produce) snaps to the start of that character with "floor" or past it with "ceil".
   */
  toCodePoint(u: number, bias: "floor" | "ceil" = "floor"): number {
    u = Math.max(0, Math.min(this.text.length, Math.trunc(u)));
    const i = countBelow(this.astralU16, u); // astral characters starting before u
    if (i > 0 && this.astralU16[i - 1] + 1 === u) {
      // u is between the two halves of astral character i-1.
      return this.astralCp[i - 1] + (bias === "ceil" ? 1 : 0);
    }
    return u - i;
  }

  /** The substring for a code point range [start, end). */
  slice(start: number, end: number): string {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }
}

/** Number of elements of the ascending array `a` that are < x. */
function countBelow(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Length in code points (Python's len()). */
export function codePointLength(s: string): number {
  return new OffsetMap(s).length;
}
