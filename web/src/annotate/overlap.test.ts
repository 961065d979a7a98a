import { describe, expect, it } from "vitest";
import { layoutLanes, overlaps } from "./overlap";

describe("layoutLanes", () => {
  it("puts disjoint and touching spans in lane 0", () => {
    expect(layoutLanes([{ start: 0, end: 3 }, { start: 3, end: 5 }, { start: 7, end: 9 }])).toEqual({ levels: [0, 0, 0], lanes: 1 });
  });
  it("stacks nested spans with the enclosing one nearest the text", () => {
    const r = layoutLanes([{ start: 2, end: 4 }, { start: 0, end: 10 }, { start: 3, end: 4 }]);
    expect(r.levels).toEqual([1, 0, 2]);
    expect(r.lanes).toBe(3);
  });
  it("uses as many lanes as the deepest overlap (5 levels)", () => {
    const spans = [0, 1, 2, 3, 4].map((i) => ({ start: i, end: 20 - i }));
    const r = layoutLanes(spans);
    expect(r.levels).toEqual([0, 1, 2, 3, 4]);
    expect(r.lanes).toBe(5);
  });
  it("reuses freed lanes", () => {
    const r = layoutLanes([{ start: 0, end: 5 }, { start: 1, end: 3 }, { start: 4, end: 8 }, { start: 6, end: 9 }]);
    expect(r.levels).toEqual([0, 1, 1, 0]);
    expect(r.lanes).toBe(2);
  });
  it("is independent of input order and gives identical ranges distinct lanes", () => {
    const a = [{ start: 0, end: 4 }, { start: 0, end: 4 }, { start: 2, end: 6 }];
    const b = [a[2], a[0], a[1]];
    const ra = layoutLanes(a);
    const rb = layoutLanes(b);
    expect(new Set(ra.levels).size).toBe(3);
    expect([rb.levels[1], rb.levels[2], rb.levels[0]]).toEqual(ra.levels);
  });
  it("never gives overlapping spans the same lane (random check)", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const spans = Array.from({ length: 300 }, () => {
      const start = Math.floor(rnd() * 1000);
      return { start, end: start + 1 + Math.floor(rnd() * 30) };
    });
    const { levels, lanes } = layoutLanes(spans);
    for (let i = 0; i < spans.length; i++)
      for (let j = i + 1; j < spans.length; j++)
        if (overlaps(spans[i], spans[j])) expect(levels[i]).not.toBe(levels[j]);
    // Minimal: lanes equals the maximum depth at any point.
    let depth = 0;
    for (let p = 0; p < 1100; p++) depth = Math.max(depth, spans.filter((s) => s.start <= p && p < s.end).length);
    expect(lanes).toBe(depth);
  });
});
