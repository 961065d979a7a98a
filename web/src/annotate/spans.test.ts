import { describe, expect, it } from "vitest";
import { addSpan, relabelSpan, replaceWith, toValue } from "./spans";

describe("span edits", () => {
  it("adds overlapping spans when overlap is allowed and ignores exact duplicates", () => {
    let r = addSpan([], { label: "A", start: 0, end: 5 }, true);
    r = addSpan(r.spans, { label: "B", start: 0, end: 5 }, true);
    expect(r.kind).toBe("added");
    r = addSpan(r.spans, { label: "B", start: 0, end: 5 }, true);
    expect(r.kind).toBe("duplicate");
    expect(r.spans).toHaveLength(2);
  });
  it("reports a conflict instead of deleting when overlap is off", () => {
    let r = addSpan([], { label: "A", start: 0, end: 5 }, false);
    r = addSpan(r.spans, { label: "B", start: 5, end: 7 }, false);
    expect(r.kind).toBe("added");
    const c = addSpan(r.spans, { label: "C", start: 4, end: 6 }, false);
    expect(c.kind).toBe("conflict");
    if (c.kind === "conflict") expect(c.conflicts.map((s) => s.label)).toEqual(["A", "B"]);
    expect(c.spans).toHaveLength(2);
    expect(toValue(replaceWith(c.spans, { label: "C", start: 4, end: 6 }).spans)).toEqual([{ label: "C", start: 4, end: 6 }]);
  });
  it("relabels, merging into an existing identical span", () => {
    const a = addSpan([], { label: "A", start: 0, end: 5 }, true);
    const b = addSpan(a.spans, { label: "B", start: 0, end: 5 }, true);
    if (a.kind !== "added") throw new Error();
    expect(toValue(relabelSpan(b.spans, a.span.id, "C"))).toEqual([
      { label: "B", start: 0, end: 5 },
      { label: "C", start: 0, end: 5 },
    ]);
    expect(toValue(relabelSpan(b.spans, a.span.id, "B"))).toEqual([{ label: "B", start: 0, end: 5 }]);
  });
  it("sends spans in text order", () => {
    let r = addSpan([], { label: "B", start: 9, end: 12 }, true);
    r = addSpan(r.spans, { label: "A", start: 0, end: 12 }, true);
    r = addSpan(r.spans, { label: "A", start: 0, end: 3 }, true);
    expect(toValue(r.spans).map((s) => `${s.start}-${s.end}`)).toEqual(["0-12", "0-3", "9-12"]);
  });
});
