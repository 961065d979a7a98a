import { describe, expect, it } from "vitest";
import { Editor } from "./editor";
import { initialSpans } from "./suggestions";
import { toValue } from "./spans";

const text = "a high-κ gate (HfO 2 ) on 𝑥";
const chars = Array.from(text);
const slice = (r: { start: number; end: number } | null) => (r ? chars.slice(r.start, r.end).join("") : null);

function editor(allowOverlap = false) {
  const e = new Editor();
  e.labels = ["MAT", "PROP"];
  e.allowOverlap = allowOverlap;
  e.load(chars, []);
  return e;
}

describe("Editor", () => {
  it("labels with the keyboard cursor only (word by word)", () => {
    const e = editor();
    e.cursorGrow(); // first word
    expect(slice(e.cursor)).toBe("a");
    e.cursorMove(1);
    expect(slice(e.cursor)).toBe("high-κ");
    e.pickLabel(1);
    e.labelCursor();
    expect(toValue(e.spans)).toEqual([{ label: "PROP", start: 2, end: 8 }]);
    expect(slice(e.cursor)).toBe("gate");
    e.cursorMove(1); // HfO
    e.cursorGrow(); // HfO 2
    expect(slice(e.cursor)).toBe("HfO 2");
    e.cursorGrow();
    e.cursorShrink();
    expect(slice(e.cursor)).toBe("HfO 2");
    e.pickLabel(0);
    e.labelCursor();
    expect(toValue(e.spans)[1]).toEqual({ label: "MAT", start: 15, end: 20 });
    e.cursorMove(1); // 𝑥
    e.labelCursor();
    expect(toValue(e.spans)[2]).toEqual({ label: "MAT", start: 26, end: 27 });
  });

  it("asks before replacing overlapped spans, and undo restores them", () => {
    const e = editor(false);
    e.labelRange({ start: 2, end: 8 });
    e.labelRange({ start: 4, end: 13 });
    expect(e.conflict?.conflicts).toHaveLength(1);
    expect(e.spans).toHaveLength(1);
    e.cancelConflict();
    expect(toValue(e.spans)).toEqual([{ label: "MAT", start: 2, end: 8 }]);
    e.labelRange({ start: 4, end: 13 });
    e.confirmConflict();
    expect(toValue(e.spans)).toEqual([{ label: "MAT", start: 4, end: 13 }]);
    e.undo();
    expect(toValue(e.spans)).toEqual([{ label: "MAT", start: 2, end: 8 }]);
    e.redo();
    expect(toValue(e.spans)).toEqual([{ label: "MAT", start: 4, end: 13 }]);
  });

  it("relabels, adds a label on the same range with overlap, deletes, steps through spans", () => {
    const e = editor(true);
    e.labelRange({ start: 2, end: 8 });
    e.labelRange({ start: 9, end: 13 });
    e.selectStep(1);
    expect(e.selected?.start).toBe(2);
    e.addLabelToSelected("PROP");
    expect(toValue(e.spans).filter((s) => s.start === 2).map((s) => s.label)).toEqual(["MAT", "PROP"]);
    e.selectStep(1);
    e.selectStep(1);
    e.selectStep(1);
    expect(e.selected?.start).toBe(9);
    e.pickLabel(1);
    expect(e.selected?.label).toBe("PROP");
    e.deleteSelected();
    expect(e.spans).toHaveLength(2);
    e.undo();
    e.undo();
    expect(toValue(e.spans).find((s) => s.start === 9)?.label).toBe("MAT");
  });

  it("accepts and rejects suggestions one by one or all, with undo", () => {
    const e = editor(true);
    e.load(chars, initialSpans(null, { value: [{ label: "MAT", start: 2, end: 8 }, { label: "PROP", start: 9, end: 13 }, { label: "MAT", start: 15, end: 20 }], score: 0.8 }));
    e.selectStep(1);
    e.accept();
    expect(e.spans.map((s) => s.origin)).toEqual(["accepted", "suggested", "suggested"]);
    e.selectStep(1);
    e.reject();
    expect(e.spans).toHaveLength(2);
    e.rejectAll();
    expect(toValue(e.spans)).toEqual([{ label: "MAT", start: 2, end: 8 }]);
    e.undo();
    e.acceptAll();
    expect(e.spans.every((s) => s.origin === "accepted")).toBe(true);
  });
});
