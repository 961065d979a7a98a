// The editing state of the record on screen: spans with undo/redo, the selected span, the keyboard
// word cursor, the active label and a pending overlap question. The view calls these methods from
// mouse and keyboard handlers; every change repaints the text pane synchronously.

import { History } from "./history";
import { addSpan, relabelSpan, removeSpan, replaceWith, sortSpans, type Span, type SpanValue } from "./spans";
import { acceptAll, acceptSpan, rejectAll, rejectSpan } from "./suggestions";
import type { TextPane } from "./textpane";
import { nextWord, previousWord, wordAt, type Range } from "./words";

export interface Conflict {
  value: SpanValue;
  conflicts: Span[];
}

export class Editor {
  readonly history = new History<Span[]>([]);
  selectedId: number | null = null;
  cursor: Range | null = null;
  activeLabel = 0;
  conflict: Conflict | null = null;
  /** Edited since the record was loaded or saved. */
  dirty = false;
  labels: string[] = [];
  allowOverlap = false;
  chars: readonly string[] = [];
  pane: TextPane | null = null;
  onChange: () => void = () => {};

  get spans(): Span[] {
    return this.history.state;
  }
  get selected(): Span | null {
    return this.spans.find((s) => s.id === this.selectedId) ?? null;
  }

  /** Starts editing another record. */
  load(chars: readonly string[], spans: Span[], dirty = false): void {
    this.chars = chars;
    this.history.reset(spans);
    this.selectedId = null;
    this.cursor = null;
    this.conflict = null;
    this.dirty = dirty;
    this.render();
  }

  markSaved(): void {
    this.dirty = false;
    this.onChange();
  }

  render(): void {
    this.pane?.setSpans(this.spans, this.selectedId);
    this.pane?.setExtra("cursor", this.cursor ? [this.cursor] : []);
    this.onChange();
  }

  private apply(next: Span[], selectedId: number | null = this.selectedId): void {
    this.history.push(next);
    this.selectedId = selectedId;
    this.dirty = true;
    this.render();
  }

  /** Labels a range with the active label (or `label`). Without overlap, asks instead of replacing. */
  labelRange(range: Range, label = this.labels[this.activeLabel]): void {
    if (label === undefined) return;
    const value = { label, start: range.start, end: range.end };
    const r = addSpan(this.spans, value, this.allowOverlap);
    if (r.kind === "conflict") {
      this.conflict = { value, conflicts: r.conflicts };
      this.onChange();
      return;
    }
    if (r.kind === "added") this.apply(r.spans, null);
    else {
      this.selectedId = null;
      this.render();
    }
  }

  /** The user agreed to replace the overlapped spans. */
  confirmConflict(): void {
    if (!this.conflict) return;
    const { spans } = replaceWith(this.spans, this.conflict.value);
    this.conflict = null;
    this.apply(spans, null);
  }

  cancelConflict(): void {
    this.conflict = null;
    this.onChange();
  }

  select(id: number | null): void {
    this.selectedId = id !== null && this.spans.some((s) => s.id === id) ? id : null;
    if (this.selectedId !== null) this.cursor = null;
    this.render();
  }

  /** Selects the next (dir 1) or previous (-1) span in text order. */
  selectStep(dir: 1 | -1): void {
    const order = sortSpans(this.spans);
    if (!order.length) return;
    const i = order.findIndex((s) => s.id === this.selectedId);
    const j = i < 0 ? (dir > 0 ? 0 : order.length - 1) : (i + dir + order.length) % order.length;
    this.select(order[j].id);
    this.pane?.reveal(order[j]);
  }

  pickLabel(index: number): void {
    if (index < 0 || index >= this.labels.length) return;
    const sel = this.selected;
    if (sel) {
      this.apply(relabelSpan(this.spans, sel.id, this.labels[index]), this.spans.some((s) => s.id === sel.id) ? sel.id : null);
      // relabelSpan may have merged the span into an identical one.
      if (!this.spans.some((s) => s.id === sel.id)) this.select(null);
      return;
    }
    this.activeLabel = index;
    this.onChange();
  }

  /** With overlap allowed: another label on the selected span's range. */
  addLabelToSelected(label: string): void {
    const sel = this.selected;
    if (!sel) return;
    this.labelRange(sel, label);
  }

  deleteSelected(): void {
    const sel = this.selected;
    if (sel) this.apply(removeSpan(this.spans, sel.id), null);
  }

  accept(id = this.selectedId): void {
    if (id !== null) this.apply(acceptSpan(this.spans, id));
  }
  reject(id = this.selectedId): void {
    if (id !== null) this.apply(rejectSpan(this.spans, id), this.selectedId === id ? null : this.selectedId);
  }
  acceptAll(): void {
    this.apply(acceptAll(this.spans));
  }
  rejectAll(): void {
    const next = rejectAll(this.spans);
    this.apply(next, next.some((s) => s.id === this.selectedId) ? this.selectedId : null);
  }

  undo(): void {
    if (!this.history.canUndo) return;
    this.history.undo();
    this.afterTimeTravel();
  }
  redo(): void {
    if (!this.history.canRedo) return;
    this.history.redo();
    this.afterTimeTravel();
  }
  private afterTimeTravel(): void {
    if (!this.spans.some((s) => s.id === this.selectedId)) this.selectedId = null;
    this.dirty = true;
    this.render();
  }

  // ---- keyboard word cursor ----

  cursorGrow(): void {
    if (!this.cursor) {
      const from = this.selected?.end ?? 0;
      this.setCursor(nextWord(this.chars, from));
      return;
    }
    const w = nextWord(this.chars, this.cursor.end);
    if (w) this.setCursor({ start: this.cursor.start, end: w.end });
  }

  cursorShrink(): void {
    if (!this.cursor) return;
    const last = wordAt(this.chars, this.cursor.end - 1);
    const prev = last ? previousWord(this.chars, last.start) : null;
    if (prev && prev.start >= this.cursor.start) this.setCursor({ start: this.cursor.start, end: prev.end });
  }

  cursorMove(dir: 1 | -1): void {
    if (!this.cursor) return;
    const w = dir > 0 ? nextWord(this.chars, this.cursor.end) : previousWord(this.chars, this.cursor.start);
    if (w) this.setCursor(w);
  }

  /** Labels the cursor range with the active label and moves the cursor to the next word. */
  labelCursor(): void {
    const c = this.cursor;
    if (!c) return;
    this.cursor = nextWord(this.chars, c.end);
    this.labelRange(c);
    if (this.conflict) this.cursor = c;
    this.render();
  }

  clearCursor(): void {
    this.cursor = null;
    this.render();
  }

  private setCursor(r: Range | null): void {
    if (!r) return;
    this.cursor = r;
    this.selectedId = null;
    this.render();
    this.pane?.reveal(r);
  }
}
