import { describe, expect, it } from "vitest";
import { History } from "./history";
import { addSpan, relabelSpan, removeSpan, replaceWith, type Span } from "./spans";

describe("History", () => {
  it("undoes and redoes every span edit in order", () => {
    const h = new History<Span[]>([]);
    const a = addSpan(h.state, { label: "MAT", start: 0, end: 4 }, true);
    if (a.kind !== "added") throw new Error("not added");
    h.push(a.spans);
    const b = addSpan(h.state, { label: "PROP", start: 2, end: 6 }, true);
    if (b.kind !== "added") throw new Error("not added");
    h.push(b.spans);
    h.push(relabelSpan(h.state, a.span.id, "PROP"));
    h.push(removeSpan(h.state, b.span.id));
    expect(h.state.map((s) => s.label)).toEqual(["PROP"]);
    h.undo();
    expect(h.state.map((s) => s.label)).toEqual(["PROP", "PROP"]);
    h.undo();
    expect(h.state.map((s) => s.label)).toEqual(["MAT", "PROP"]);
    h.undo();
    h.undo();
    expect(h.state).toEqual([]);
    expect(h.canUndo).toBe(false);
    h.undo(); // no-op at the bottom
    expect(h.state).toEqual([]);
    h.redo();
    h.redo();
    h.redo();
    h.redo();
    expect(h.state.map((s) => s.label)).toEqual(["PROP"]);
    expect(h.canRedo).toBe(false);
  });

  it("forgets the redo branch after a new edit", () => {
    const h = new History<number>(0);
    h.push(1);
    h.push(2);
    h.undo();
    h.push(3);
    expect(h.canRedo).toBe(false);
    expect(h.undo()).toBe(1);
    expect(h.undo()).toBe(0);
  });

  it("undoes a replace-after-asking as one step", () => {
    const h = new History<Span[]>([]);
    const a = addSpan([], { label: "A", start: 0, end: 5 }, false);
    h.push(a.spans);
    const c = addSpan(h.state, { label: "B", start: 3, end: 8 }, false);
    expect(c.kind).toBe("conflict");
    expect(c.spans).toHaveLength(1); // nothing deleted while asking
    h.push(replaceWith(h.state, { label: "B", start: 3, end: 8 }).spans);
    expect(h.state.map((s) => s.label)).toEqual(["B"]);
    h.undo();
    expect(h.state.map((s) => s.label)).toEqual(["A"]);
  });

  it("keeps at most `limit` steps and resets", () => {
    const h = new History<number>(0, 3);
    for (let i = 1; i <= 10; i++) h.push(i);
    h.undo();
    h.undo();
    h.undo();
    expect(h.state).toBe(7);
    expect(h.canUndo).toBe(false);
    h.reset(42);
    expect(h.state).toBe(42);
    expect(h.canRedo).toBe(false);
  });
});
