import { describe, expect, it } from "vitest";
import { OffsetMap, codePointLength } from "./offsets";

// Python's view of a string: a list of code points.
const cps = (s: string) => Array.from(s);

function checkRoundTrip(text: string) {
  const m = new OffsetMap(text);
  const points = cps(text);
  expect(m.length).toBe(points.length);
  for (let i = 0; i <= points.length; i++) {
    const u = m.toUtf16(i);
    expect(text.slice(0, u)).toBe(points.slice(0, i).join(""));
    expect(m.toCodePoint(u)).toBe(i);
  }
  // Every code point range maps to the same substring Python would slice.
  for (let a = 0; a <= points.length; a++)
    for (let b = a; b <= points.length; b++) expect(m.slice(a, b)).toBe(points.slice(a, b).join(""));
}

describe("OffsetMap", () => {
  it("is the identity on BMP text", () => {
    const m = new OffsetMap("high-κ dielectric (HfO 2 ) at 25 °C ≤ 5 µm™");
    expect(m.toUtf16(7)).toBe(7);
    expect(m.toCodePoint(30)).toBe(30);
    checkRoundTrip("high-κ dielectric (HfO 2 )");
  });

  it("round-trips emoji, ZWJ sequences, astral math letters, combining marks and CRLF", () => {
    for (const t of [
      "a😀b",
      "👩‍🔬 tests 𝑥 ≤ 𝛼",
      "cafe\u0301 e\u0301\u0302",
      "line one\r\nline two\r\n",
      "🇫🇷 flag 👍🏽 and 1️⃣",
      "𝐀𝐁𝐂",
      "",
    ])
      checkRoundTrip(t);
  });

  it("converts a span after astral characters the way Python counts", () => {
    const text = "𝑥 = high-κ 😀 (HfO 2 )";
    const m = new OffsetMap(text);
    // Python: len(text) == 21, text.index("high-κ") == 4, text.index("(HfO") == 13
    expect(m.length).toBe(21);
    expect(m.toCodePoint(text.indexOf("high-κ"))).toBe(4);
    expect(m.slice(4, 10)).toBe("high-κ");
    expect(m.toCodePoint(text.indexOf("(HfO"))).toBe(13);
    expect(m.slice(14, 19)).toBe("HfO 2");
  });

  it("snaps an index inside a surrogate pair by bias", () => {
    const m = new OffsetMap("a😀b");
    expect(m.toCodePoint(2, "floor")).toBe(1);
    expect(m.toCodePoint(2, "ceil")).toBe(2);
    expect(m.toCodePoint(3)).toBe(2);
  });

  it("clamps out-of-range offsets", () => {
    const m = new OffsetMap("a😀");
    expect(m.toUtf16(-3)).toBe(0);
    expect(m.toUtf16(99)).toBe(3);
    expect(m.toCodePoint(99)).toBe(2);
  });

  it("keeps a lone surrogate as one code point, like Python", () => {
    const m = new OffsetMap("a\ud800b");
    expect(m.length).toBe(3);
    expect(m.toUtf16(2)).toBe(2);
  });

  it("codePointLength counts code points", () => {
    expect(codePointLength("👩‍🔬")).toBe(3);
    expect(codePointLength("e\u0301")).toBe(2);
  });
});
