import { describe, expect, it } from "vitest";
import { findHits, searchBody, searchTerms } from "./query";
import { OffsetMap } from "./offsets";

describe("searchBody", () => {
  it("builds the pending queue like the Argilla UI", () => {
    expect(searchBody({ tab: "pending" })).toEqual({
      filters: {
        and: [
          { type: "terms", scope: { entity: "response", property: "status" }, values: ["pending"] },
          { type: "terms", scope: { entity: "record", property: "status" }, values: ["pending"] },
        ],
      },
    });
  });
  it("adds text, metadata, suggestion and label filters and a sort", () => {
    const b = searchBody({
      tab: "submitted",
      text: " hafnium oxide ",
      metadata: [{ name: "cpc", values: ["H01L"] }, { name: "year", ge: 2010, le: 2020 }, { name: "empty" }],
      question: "ner",
      agents: ["bert"],
      scoreGe: 0.5,
      labels: ["MAT"],
      sort: { by: "metadata:year", order: "desc" },
    });
    expect(b.query).toEqual({ text: { q: "hafnium oxide" } });
    expect((b.filters as { and: unknown[] }).and).toEqual([
      { type: "terms", scope: { entity: "response", property: "status" }, values: ["submitted"] },
      { type: "terms", scope: { entity: "metadata", metadata_property: "cpc" }, values: ["H01L"] },
      { type: "range", scope: { entity: "metadata", metadata_property: "year" }, ge: 2010, le: 2020 },
      { type: "terms", scope: { entity: "suggestion", question: "ner", property: "agent" }, values: ["bert"] },
      { type: "range", scope: { entity: "suggestion", question: "ner", property: "score" }, ge: 0.5 },
      { type: "terms", scope: { entity: "response", question: "ner" }, values: ["MAT"] },
    ]);
    expect(b.sort).toEqual([{ scope: { entity: "metadata", metadata_property: "year" }, order: "desc" }]);
  });
  it("filters suggestion labels on the pending tab", () => {
    const b = searchBody({ tab: "pending", question: "ner", labels: ["MAT"] });
    expect((b.filters as { and: unknown[] }).and[2]).toEqual({ type: "terms", scope: { entity: "suggestion", question: "ner", property: "value" }, values: ["MAT"] });
  });
});

describe("search hits", () => {
  it("finds case-insensitive hits in code points", () => {
    const text = "𝑥 High-κ and high-κ (HfO 2 )";
    const m = new OffsetMap(text);
    const hits = findHits(text, searchTerms('high-κ "hfo"'), (u) => m.toCodePoint(u));
    expect(hits.map((h) => m.slice(h.start, h.end))).toEqual(["High-κ", "high-κ", "HfO"]);
    expect(hits[0].start).toBe(2);
  });
  it("escapes regex characters", () => {
    expect(findHits("a (b) c", ["(b)"], (u) => u)).toEqual([{ start: 2, end: 5 }]);
  });
});
