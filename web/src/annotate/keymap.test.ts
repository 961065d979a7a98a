import { describe, expect, it } from "vitest";
import { DigitPicker, mapKey, SHORTCUTS, type KeyContext } from "./keymap";

const idle: KeyContext = { inInput: false, spanSelected: false, suggestionSelected: false, cursorActive: false };

describe("mapKey", () => {
  it("maps record actions", () => {
    expect(mapKey({ key: "Enter" }, idle)).toEqual({ type: "submit" });
    expect(mapKey({ key: "s", ctrlKey: true }, idle)).toEqual({ type: "draft" });
    expect(mapKey({ key: "s", metaKey: true }, idle)).toEqual({ type: "draft" });
    expect(mapKey({ key: "Backspace", ctrlKey: true }, idle)).toEqual({ type: "discard" });
    expect(mapKey({ key: "ArrowRight" }, idle)).toEqual({ type: "next" });
    expect(mapKey({ key: "ArrowLeft" }, idle)).toEqual({ type: "previous" });
    expect(mapKey({ key: "?" }, idle)).toEqual({ type: "help" });
  });
  it("maps undo and redo with Ctrl or Cmd", () => {
    expect(mapKey({ key: "z", ctrlKey: true }, idle)).toEqual({ type: "undo" });
    expect(mapKey({ key: "Z", ctrlKey: true, shiftKey: true }, idle)).toEqual({ type: "redo" });
    expect(mapKey({ key: "z", metaKey: true, shiftKey: true }, idle)).toEqual({ type: "redo" });
    expect(mapKey({ key: "y", ctrlKey: true }, idle)).toEqual({ type: "redo" });
  });
  it("deletes only when a span is selected; rejects a selected suggestion", () => {
    expect(mapKey({ key: "Backspace" }, idle)).toBeNull();
    expect(mapKey({ key: "Delete" }, { ...idle, spanSelected: true })).toEqual({ type: "deleteSpan" });
    expect(mapKey({ key: "Backspace" }, { ...idle, spanSelected: true, suggestionSelected: true })).toEqual({ type: "rejectSpan" });
    expect(mapKey({ key: " " }, { ...idle, spanSelected: true, suggestionSelected: true })).toEqual({ type: "acceptSpan" });
    expect(mapKey({ key: " " }, idle)).toBeNull();
  });
  it("maps accept-all and reject-all on Alt, by physical key", () => {
    expect(mapKey({ key: "å", code: "KeyA", altKey: true }, idle)).toEqual({ type: "acceptAll" });
    expect(mapKey({ key: "r", code: "KeyR", altKey: true }, idle)).toEqual({ type: "rejectAll" });
  });
  it("drives the word cursor with arrows only while it is active", () => {
    expect(mapKey({ key: "ArrowRight", shiftKey: true }, idle)).toEqual({ type: "cursorGrow" });
    const on = { ...idle, cursorActive: true };
    expect(mapKey({ key: "ArrowRight" }, on)).toEqual({ type: "cursorNext" });
    expect(mapKey({ key: "ArrowLeft" }, on)).toEqual({ type: "cursorPrevious" });
    expect(mapKey({ key: "ArrowLeft", shiftKey: true }, on)).toEqual({ type: "cursorShrink" });
    expect(mapKey({ key: " " }, on)).toEqual({ type: "labelCursor" });
  });
  it("sends digits to the label picker and letters to the filter", () => {
    expect(mapKey({ key: "3" }, idle)).toEqual({ type: "digit", digit: 3 });
    expect(mapKey({ key: "m" }, idle)).toEqual({ type: "filter", text: "m" });
    expect(mapKey({ key: "Tab" }, idle)).toEqual({ type: "nextSpan" });
    expect(mapKey({ key: "Tab", shiftKey: true }, idle)).toEqual({ type: "previousSpan" });
  });
  it("leaves typing in inputs alone except Escape and Ctrl shortcuts", () => {
    const typing = { ...idle, inInput: true };
    expect(mapKey({ key: "m" }, typing)).toBeNull();
    expect(mapKey({ key: "Enter" }, typing)).toBeNull();
    expect(mapKey({ key: "Escape" }, typing)).toEqual({ type: "escape" });
    expect(mapKey({ key: "z", ctrlKey: true }, typing)).toEqual({ type: "undo" });
  });
  it("documents every action in SHORTCUTS", () => {
    expect(SHORTCUTS.length).toBeGreaterThanOrEqual(20);
  });
});

describe("DigitPicker", () => {
  it("picks single digits at once and joins quick digits into one number", () => {
    const p = new DigitPicker(400);
    expect(p.press(1, 15, 0)).toBe(1);
    expect(p.press(2, 15, 100)).toBe(12);
    expect(p.press(3, 15, 200)).toBe(3); // 123 names no label: starts again
    expect(p.press(1, 15, 1000)).toBe(1);
    expect(p.press(4, 15, 1500)).toBe(4); // too slow to join
  });
  it("ignores 0 and numbers beyond the label count", () => {
    const p = new DigitPicker();
    expect(p.press(0, 5, 0)).toBeNull();
    expect(p.press(9, 5, 10)).toBeNull();
    expect(p.press(1, 5, 20)).toBe(1);
    expect(p.press(0, 5, 30)).toBeNull(); // 10 > 5 labels
  });
});
