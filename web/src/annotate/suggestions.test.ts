import { describe, expect, it } from "vitest";
import { acceptAll, acceptSpan, initialSpans, pendingCount, rejectAll, rejectSpan } from "./suggestions";
import { toValue } from "./spans";

const suggestion = {
  value: [
    { label: "MAT", start: 0, end: 4 },
    { label: "PROP", start: 6, end: 10 },
    { label: "MAT", start: 0, end: 4 },
  ],
  score: [0.9, 0.55, 0.9],
  agent: "bert-v1",
};

describe("initialSpans", () => {
  it("pre-fills suggestions (deduplicated) when there is no response", () => {
    const s = initialSpans(null, suggestion);
    expect(s.map((x) => [x.label, x.origin, x.score])).toEqual([
      ["MAT", "suggested", 0.9],
      ["PROP", "suggested", 0.55],
    ]);
    expect(s[0].agent).toBe("bert-v1");
  });
  it("keeps the user's response and marks spans equal to a suggestion", () => {
    const s = initialSpans([{ label: "PROP", start: 6, end: 10 }, { label: "MAT", start: 12, end: 15 }], suggestion);
    expect(s.map((x) => [x.label, x.origin, x.score])).toEqual([
      ["PROP", "accepted", 0.55],
      ["MAT", "user", undefined],
    ]);
  });
  it("treats an empty response as the user's answer (no pre-fill)", () => {
    expect(initialSpans([], suggestion)).toEqual([]);
  });
  it("accepts a single score for every span and no suggestion at all", () => {
    expect(initialSpans(null, { value: [{ label: "A", start: 1, end: 2 }], score: 0.7 })[0].score).toBe(0.7);
    expect(initialSpans(null, null)).toEqual([]);
  });
});

describe("accept / reject", () => {
  it("accepts or rejects one span, or all", () => {
    const s = initialSpans(null, suggestion);
    const one = acceptSpan(s, s[0].id);
    expect(one.map((x) => x.origin)).toEqual(["accepted", "suggested"]);
    expect(pendingCount(one)).toBe(1);
    expect(toValue(rejectSpan(one, s[1].id))).toEqual([{ label: "MAT", start: 0, end: 4 }]);
    expect(rejectSpan(one, s[0].id)).toHaveLength(2); // accepted spans are not "rejected"
    expect(pendingCount(acceptAll(s))).toBe(0);
    expect(rejectAll(one).map((x) => x.label)).toEqual(["MAT"]);
  });
});
