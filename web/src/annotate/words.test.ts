import { describe, expect, it } from "vitest";
import { graphemeBoundaries, nextWord, previousWord, snapToGraphemes, snapToWords, wordAt } from "./words";

const chars = (s: string) => Array.from(s);
const text = (s: string, r: { start: number; end: number } | null) => (r ? chars(s).slice(r.start, r.end).join("") : null);

describe("snapToWords", () => {
  const s = "a high-κ gate (HfO 2 ) on 𝑥 😀 cells";
  const c = chars(s);
  const at = (sub: string) => c.join("").indexOf(sub) === -1 ? -1 : chars(s.slice(0, s.indexOf(sub))).length;

  it("grows a partial selection to whole words", () => {
    const i = at("high");
    expect(text(s, snapToWords(c, { start: i + 2, end: i + 6 }))).toBe("high-κ");
  });
  it("trims brackets and spaces but keeps inner spaces", () => {
    const i = at("(HfO");
    expect(text(s, snapToWords(c, { start: i - 1, end: i + 9 }))).toBe("HfO 2");
  });
  it("handles astral letters and emoji as words", () => {
    const i = at("𝑥");
    expect(text(s, snapToWords(c, { start: i, end: i + 1 }))).toBe("𝑥");
    const j = at("😀");
    expect(text(s, snapToWords(c, { start: j, end: j + 1 }))).toBe("😀");
  });
  it("accepts a reversed selection", () => {
    const i = at("gate");
    expect(text(s, snapToWords(c, { start: i + 3, end: i + 1 }))).toBe("gate");
  });
  it("keeps punctuation-only selections exact and drops blank ones", () => {
    const i = at("(");
    expect(text(s, snapToWords(c, { start: i, end: i + 1 }))).toBe("(");
    expect(snapToWords(c, { start: 1, end: 2 })).toBeNull();
    expect(snapToWords(c, { start: 3, end: 3 })).toBeNull();
  });
  it("keeps ZWJ sequences, flags and combining marks whole", () => {
    const t = "x 👩‍🔬 y 🇫🇷 cafe\u0301!";
    const ct = chars(t);
    expect(text(t, snapToWords(ct, { start: 3, end: 4 }))).toBe("👩‍🔬");
    const f = chars(t.slice(0, t.indexOf("🇫"))).length;
    expect(text(t, snapToWords(ct, { start: f, end: f + 1 }))).toBe("🇫🇷");
    const k = chars(t.slice(0, t.indexOf("cafe"))).length;
    expect(text(t, snapToWords(ct, { start: k, end: k + 2 }))).toBe("cafe\u0301");
  });
  it("joins digits with commas and dots, not sentence ends", () => {
    const t = "about 1,000.5 nm. Then";
    const ct = chars(t);
    expect(text(t, snapToWords(ct, { start: 7, end: 8 }))).toBe("1,000.5");
    expect(text(t, snapToWords(ct, { start: 15, end: 16 }))).toBe("nm");
  });
  it("handles CRLF line ends", () => {
    const t = "first\r\nsecond";
    expect(text(t, snapToWords(chars(t), { start: 3, end: 9 }))).toBe("first\r\nsecond");
    expect(text(t, snapToWords(chars(t), { start: 5, end: 10 }))).toBe("second");
  });
});

describe("wordAt / nextWord / previousWord", () => {
  const t = "the high-κ (HfO 2 ) layer";
  const c = chars(t);
  it("finds the word under a position", () => {
    expect(text(t, wordAt(c, 5))).toBe("high-κ");
    expect(text(t, wordAt(c, 10))).toBe("high-κ"); // right after the word
    expect(wordAt(c, 11)).toBeNull(); // "(" with a space before
  });
  it("steps between words", () => {
    expect(text(t, nextWord(c, 10))).toBe("HfO");
    expect(text(t, nextWord(c, 15))).toBe("2");
    expect(text(t, previousWord(c, 12))).toBe("high-κ");
    expect(nextWord(c, c.length)).toBeNull();
    expect(previousWord(c, 0)).toBeNull();
  });
});

describe("snapToGraphemes", () => {
  it("never cuts a grapheme and trims outer spaces", () => {
    const t = "a 👩‍🔬 e\u0301 b";
    const c = chars(t);
    const b = graphemeBoundaries(t);
    expect(b).toEqual([0, 1, 2, 5, 6, 8, 9, 10]);
    expect(text(t, snapToGraphemes(c, b, { start: 3, end: 4 }))).toBe("👩‍🔬");
    expect(text(t, snapToGraphemes(c, b, { start: 1, end: 7 }))).toBe("👩‍🔬 e\u0301");
    expect(text(t, snapToGraphemes(c, b, { start: 9, end: 10 }))).toBe("b");
    expect(snapToGraphemes(c, b, { start: 1, end: 2 })).toBeNull();
  });
  it("allows sub-word spans", () => {
    const t = "high-κ";
    expect(text(t, snapToGraphemes(chars(t), graphemeBoundaries(t), { start: 5, end: 6 }))).toBe("κ");
  });
});
