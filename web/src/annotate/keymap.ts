// Keyboard mapping of the annotation view: a pure function from a key event and the editor state to
// an action, plus the multi-digit label picker. The help overlay is generated from SHORTCUTS.

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
}

export interface KeyContext {
  /** Focus is in a text input (search box, label filter): only Escape and the Ctrl shortcuts apply. */
  inInput: boolean;
  /** A span is selected (by click or Tab). */
  spanSelected: boolean;
  /** The selected span is a pending suggestion. */
  suggestionSelected: boolean;
  /** The keyboard word cursor is active. */
  cursorActive: boolean;
}

export type Action =
  | { type: "digit"; digit: number }
  | { type: "filter"; text: string }
  | {
      type:
        | "undo" | "redo" | "submit" | "draft" | "discard" | "next" | "previous" | "help" | "escape"
        | "deleteSpan" | "acceptSpan" | "rejectSpan" | "acceptAll" | "rejectAll" | "nextSpan" | "previousSpan"
        | "cursorNext" | "cursorPrevious" | "cursorGrow" | "cursorShrink" | "labelCursor" | "focusSearch";
    };

/** Every shortcut, for the help overlay and docs/annotation.md. */
export const SHORTCUTS: ReadonlyArray<{ keys: string; what: string }> = [
  { keys: "1 … 9, then more digits within 0.4 s", what: "Pick a label (12 = type 1 then 2); with a span selected, change its label" },
  { keys: "letters", what: "Filter the labels by name; Enter picks the first match, Esc closes" },
  { keys: "drag", what: "Label the selected text (snaps to whole words)" },
  { keys: "Shift + drag", what: "Label the exact characters selected" },
  { keys: "double-click", what: "Label one word" },
  { keys: "click a badge / Tab / Shift+Tab", what: "Select a span / the next / the previous span" },
  { keys: "Delete / Backspace", what: "Delete the selected span (reject it if it is a suggestion)" },
  { keys: "Space or +", what: "Accept the selected suggestion; label the word cursor" },
  { keys: "Alt+A / Alt+R", what: "Accept all / reject all suggestions" },
  { keys: "Shift+→", what: "Start the word cursor, or grow it by one word" },
  { keys: "Shift+←", what: "Shrink the word cursor by one word" },
  { keys: "→ / ← (word cursor on)", what: "Move the word cursor to the next / previous word" },
  { keys: "Ctrl/Cmd+Z", what: "Undo the last span edit" },
  { keys: "Ctrl/Cmd+Shift+Z or Ctrl+Y", what: "Redo" },
  { keys: "Enter", what: "Submit and go to the next record" },
  { keys: "Ctrl/Cmd+S", what: "Save as draft" },
  { keys: "Ctrl/Cmd+Backspace", what: "Discard and go to the next record" },
  { keys: "→ / ←", what: "Next / previous record" },
  { keys: "/", what: "Search the records' text" },
  { keys: "Esc", what: "Clear the selection, the cursor, the filter or close a panel" },
  { keys: "?", what: "Show this help" },
];

export function mapKey(ev: KeyLike, ctx: KeyContext): Action | null {
  const mod = !!(ev.ctrlKey || ev.metaKey);
  const key = ev.key;
  const code = ev.code ?? "";
  if (mod && !ev.altKey) {
    const lower = key.length === 1 ? key.toLowerCase() : key;
    if (lower === "z") return { type: ev.shiftKey ? "redo" : "undo" };
    if (lower === "y") return { type: "redo" };
    if (lower === "s") return { type: "draft" };
    if (key === "Backspace") return { type: "discard" };
    if (key === "Enter") return { type: "submit" };
    return null;
  }
  if (key === "Escape") return { type: "escape" };
  if (ctx.inInput) return null;
  if (ev.altKey && !mod) {
    if (code === "KeyA" || key === "a" || key === "A") return { type: "acceptAll" };
    if (code === "KeyR" || key === "r" || key === "R") return { type: "rejectAll" };
    return null;
  }
  if (key === "?") return { type: "help" };
  if (key === "/") return { type: "focusSearch" };
  if (key === "Enter") return { type: "submit" };
  if (key === "Tab") return { type: ev.shiftKey ? "previousSpan" : "nextSpan" };
  if (key === "Delete" || key === "Backspace") {
    if (ctx.suggestionSelected) return { type: "rejectSpan" };
    return ctx.spanSelected ? { type: "deleteSpan" } : null;
  }
  if (key === " " || key === "+") {
    if (ctx.cursorActive) return { type: "labelCursor" };
    if (ctx.suggestionSelected) return { type: "acceptSpan" };
    return null;
  }
  if (key === "ArrowRight") {
    if (ev.shiftKey) return { type: "cursorGrow" };
    return { type: ctx.cursorActive ? "cursorNext" : "next" };
  }
  if (key === "ArrowLeft") {
    if (ev.shiftKey) return { type: "cursorShrink" };
    return { type: ctx.cursorActive ? "cursorPrevious" : "previous" };
  }
  if (/^[0-9]$/.test(key)) return { type: "digit", digit: Number(key) };
  // Any other printable character starts the label filter.
  if (key.length === 1 && /\S/u.test(key)) return { type: "filter", text: key };
  return null;
}

/**
 * Turns digit key presses into label numbers (1-based). A digit typed within `delayMs` of the previous
 * one extends the number when the longer number names a label (1 then 2 -> label 12); otherwise it
 * starts a new number. Each press answers the label to pick now, or null.
 */
export class DigitPicker {
  private buffer = "";
  private last = -Infinity;

  constructor(private readonly delayMs = 400) {}

  press(digit: number, labelCount: number, now: number): number | null {
    const d = String(digit);
    const joined = this.buffer + d;
    if (this.buffer && now - this.last <= this.delayMs && Number(joined) >= 1 && Number(joined) <= labelCount) {
      this.buffer = joined;
    } else {
      this.buffer = d;
    }
    this.last = now;
    const n = Number(this.buffer);
    return n >= 1 && n <= labelCount ? n : null;
  }

  reset(): void {
    this.buffer = "";
    this.last = -Infinity;
  }
}
