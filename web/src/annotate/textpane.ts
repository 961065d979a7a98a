// The record text with its spans, drawn without a framework: one text node, background tints through
// the CSS Custom Highlight API (or overlay boxes where the browser lacks it), and one stacked
// underline bar with a label badge per span. Only changed spans are redrawn on an edit.

import { inkFor, safeColor, tint } from "./colors";
import { OffsetMap } from "./offsets";
import { layoutLanes } from "./overlap";
import type { Span } from "./spans";
import { graphemeBoundaries, snapToGraphemes, snapToWords, wordAt, type Range as CpRange } from "./words";

export interface PaneLabel {
  value: string;
  text: string;
  color?: string;
}

export interface PaneCallbacks {
  /** The user selected text (already snapped) to label. `exact` is true for Shift selections. */
  onSelect(range: CpRange, how: "drag" | "exact" | "word"): void;
  /** The user clicked a span (its badge, or text covered by it); null when clicking free text. */
  onSpanClick(id: number | null): void;
}

const LANE_PX = 14; // height of one underline lane (bar + badge text)
const BASE_LINE_EM = 1.7;

type HighlightCtor = new (...ranges: AbstractRange[]) => { add(r: AbstractRange): void; clear(): void; priority: number };
interface HighlightRegistry {
  set(name: string, h: unknown): void;
  delete(name: string): void;
}

function highlightApi(): { Highlight: HighlightCtor; registry: HighlightRegistry } | null {
  const g = globalThis as unknown as { Highlight?: HighlightCtor; CSS?: { highlights?: HighlightRegistry } };
  return g.Highlight && g.CSS?.highlights ? { Highlight: g.Highlight, registry: g.CSS.highlights } : null;
}

interface Drawn {
  key: string;
  els: HTMLElement[];
  range: Range;
}

let paneSerial = 0;

export class TextPane {
  readonly root: HTMLElement;
  private readonly textEl: HTMLElement;
  private readonly under: HTMLElement;
  private readonly over: HTMLElement;
  private readonly style: HTMLStyleElement;
  private readonly prefix: string;
  private readonly api: ReturnType<typeof highlightApi>;
  private node: Text = document.createTextNode("");
  private offsets = new OffsetMap("");
  private chars: string[] = [];
  private bounds: number[] | null = null;
  private labels: PaneLabel[] = [];
  private labelIndex = new Map<string, number>();
  private spans: readonly Span[] = [];
  private selectedId: number | null = null;
  private lanes = -1;
  private drawn = new Map<number, Drawn>();
  // Lane of every span from the last layout, and the code point window whose spans are drawn: bars
  // are only built for the text near the visible part of the scroll container (long records).
  private levelOf = new Map<number, number>();
  private window: CpRange = { start: 0, end: 0 };
  private scrollHost: HTMLElement | null = null;
  private scrollQueued = false;
  private tintRange = new Map<number, { start: number; end: number; range: AbstractRange }>();
  private tintKeys: string[] = [];
  private extras: Array<[string, CpRange[]]> = [];
  private shiftDown = false;
  private resizeObs: ResizeObserver | null = null;
  private lastWidth = 0;

  /** Builds the pane inside `host` (its own element, so a framework re-rendering `host` leaves it alone). */
  constructor(host: HTMLElement, private readonly cb: PaneCallbacks, opts: { noHighlightApi?: boolean } = {}) {
    const root = el("div", "sl-pane");
    this.root = root;
    host.replaceChildren(root);
    this.api = opts.noHighlightApi ? null : highlightApi();
    this.prefix = `sl${++paneSerial}`;
    this.under = el("div", "sl-under");
    this.textEl = el("div", "sl-text");
    this.textEl.setAttribute("data-testid", "record-text");
    this.over = el("div", "sl-over");
    this.style = document.createElement("style");
    root.append(this.style, this.under, this.textEl, this.over);
    this.textEl.append(this.node);
    this.textEl.addEventListener("mouseup", this.onMouseUp);
    this.textEl.addEventListener("mousedown", this.onMouseDown);
    this.over.addEventListener("click", this.onBadgeClick);
    document.addEventListener("selectionchange", this.onSelectionChange);
    if (typeof ResizeObserver !== "undefined") {
      this.resizeObs = new ResizeObserver(() => {
        const w = this.root.clientWidth;
        if (w !== this.lastWidth) {
          this.lastWidth = w;
          this.redrawAll();
        }
      });
      this.lastWidth = root.clientWidth;
      this.resizeObs.observe(root);
    }
  }

  /** Whether spans are painted with the CSS Custom Highlight API (else overlay boxes). */
  get usesHighlightApi(): boolean {
    return this.api !== null;
  }

  destroy(): void {
    document.removeEventListener("selectionchange", this.onSelectionChange);
    this.resizeObs?.disconnect();
    if (this.scrollHost) {
      this.scrollHost.removeEventListener("scroll", this.onScroll);
      delete this.scrollHost.dataset.slScroll;
    }
    this.clearHighlights();
    this.root.remove();
  }

  setText(text: string): void {
    this.offsets = new OffsetMap(text);
    this.chars = Array.from(text);
    this.bounds = null;
    this.node = document.createTextNode(text);
    this.textEl.replaceChildren(this.node);
    this.spans = [];
    this.extras = [];
    // No measuring here: the spans that follow (setSpans) lay the text out once.
    this.over.replaceChildren();
    this.drawn.clear();
    this.under.replaceChildren();
    this.clearHighlights();
    this.lanes = -1;
    this.window = { start: 0, end: 0 };
  }

  get offsetMap(): OffsetMap {
    return this.offsets;
  }
  get codePoints(): readonly string[] {
    return this.chars;
  }

  setLabels(labels: PaneLabel[]): void {
    this.labels = labels;
    this.labelIndex = new Map(labels.map((l, i) => [l.value, i]));
    const rules: string[] = [];
    labels.forEach((l, i) => {
      const c = safeColor(l.color, i);
      rules.push(`.${this.prefix} .sl-tint-${i}{background:${tint(c)}}`);
      rules.push(`::highlight(${this.prefix}-l${i}){background-color:${tint(c)}}`);
    });
    rules.push(`::highlight(${this.prefix}-search){background-color:#ffe066;color:#000}`);
    rules.push(`::highlight(${this.prefix}-cursor){background-color:#9ecbff;text-decoration:underline 2px #0b5cad}`);
    rules.push(`::highlight(${this.prefix}-preview){background-color:#c7e0ff}`);
    this.style.textContent = rules.join("\n");
    this.root.classList.add(this.prefix);
    this.lanes = -1;
    this.redrawAll();
  }

  /** Draws `spans`; only spans whose label, range, lane, origin or selection changed are redrawn. */
  setSpans(spans: readonly Span[], selectedId: number | null = null): void {
    this.spans = spans;
    this.selectedId = selectedId;
    const { levels, lanes } = layoutLanes(spans);
    if (lanes !== this.lanes) {
      this.redrawAll();
      return;
    }
    this.levelOf = new Map(spans.map((s, i) => [s.id, levels[i]]));
    const keep = new Set(spans.map((s) => s.id));
    for (const [id, d] of this.drawn) {
      if (!keep.has(id)) {
        for (const e of d.els) e.remove();
        this.drawn.delete(id);
      }
    }
    this.drawWindow(false);
    this.paintTints();
  }

  /** Extra highlights (search hits, the keyboard cursor) in code points. */
  setExtra(name: "search" | "cursor" | "preview", ranges: CpRange[]): void {
    this.extras = this.extras.filter(([n]) => n !== name);
    if (ranges.length) this.extras.push([name, ranges]);
    this.paintExtras();
  }

  /** Scrolls a code point range into view. */
  reveal(range: CpRange): void {
    const r = this.domRange(range);
    const rect = r.getBoundingClientRect();
    const host = this.root.closest(".sl-scroll") as HTMLElement | null;
    if (!host) return;
    const h = host.getBoundingClientRect();
    if (rect.top < h.top || rect.bottom > h.bottom) host.scrollTop += rect.top - h.top - h.height / 3;
  }

  // ---- drawing ----

  private redrawAll(): void {
    this.over.replaceChildren();
    this.drawn.clear();
    this.under.replaceChildren();
    const { levels, lanes } = layoutLanes(this.spans);
    this.lanes = lanes;
    const extra = lanes * LANE_PX;
    // The line box grows by one lane per overlap level; shifting the text up by half of that puts all the
    // extra room under the glyphs, where the lanes are drawn.
    this.textEl.style.lineHeight = `calc(${BASE_LINE_EM}em + ${extra}px)`;
    this.textEl.style.top = `${-extra / 2}px`;
    this.root.style.paddingTop = `${extra / 2}px`;
    this.levelOf = new Map(this.spans.map((s, i) => [s.id, levels[i]]));
    this.drawWindow(true);
    this.paintTints();
    this.paintExtras();
  }

  /**
   * Draws the spans that touch the window of text around the visible part of the scroll container
   * (and redraws those whose look changed). With `fresh`, the window is measured again.
   */
  private drawWindow(fresh: boolean): void {
    if (fresh || !this.window.end) this.window = this.visibleWindow();
    const w = this.window;
    const todo: Array<{ s: Span; level: number; key: string }> = [];
    for (const s of this.spans) {
      if (s.end < w.start || s.start > w.end) continue;
      const level = this.levelOf.get(s.id) ?? 0;
      const key = spanKey(s, level, s.id === this.selectedId);
      const old = this.drawn.get(s.id);
      if (old && old.key === key) continue;
      if (old) for (const e of old.els) e.remove();
      todo.push({ s, level, key });
    }
    this.drawSpans(todo);
  }

  /** Code point range of the text within two screens of the scroll container's visible part. */
  private visibleWindow(): CpRange {
    const n = this.offsets.length;
    const host = (this.scrollHost ??= this.root.closest(".sl-scroll") as HTMLElement | null);
    if (!host || n < 2000) return { start: 0, end: n };
    if (!host.dataset.slScroll) {
      host.dataset.slScroll = "1";
      host.addEventListener("scroll", this.onScroll, { passive: true });
    }
    const h = host.getBoundingClientRect();
    const margin = Math.max(600, h.height * 2);
    return { start: this.offsetAtY(h.top - margin, "start"), end: this.offsetAtY(h.bottom + margin, "end") };
  }

  // Binary search for the first (or last) code point whose line is below (or above) client y.
  private offsetAtY(y: number, which: "start" | "end"): number {
    let lo = 0;
    let hi = this.offsets.length;
    const r = document.createRange();
    const yOf = (cp: number) => {
      const u = this.offsets.toUtf16(cp);
      r.setStart(this.node, u);
      r.setEnd(this.node, Math.min(this.node.length, u + 1));
      const b = r.getBoundingClientRect();
      return which === "start" ? b.bottom : b.top;
    };
    if (which === "start") {
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (yOf(mid) < y) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (yOf(mid) > y) hi = mid - 1;
      else lo = mid;
    }
    return lo;
  }

  private onScroll = () => {
    if (this.scrollQueued) return;
    this.scrollQueued = true;
    requestAnimationFrame(() => {
      this.scrollQueued = false;
      const w = this.visibleWindow();
      if (w.start < this.window.start || w.end > this.window.end) {
        this.window = { start: Math.min(w.start, this.window.start), end: Math.max(w.end, this.window.end) };
        this.drawWindow(false);
      }
    });
  };

  /**
   * Draws a batch of spans: every rectangle is measured first, then all elements are added in one
   * go, so the browser lays the text out once instead of once per span.
   */
  private drawSpans(batch: Array<{ s: Span; level: number; key: string }>): void {
    if (!batch.length) return;
    const base = this.root.getBoundingClientRect();
    const measured = batch.map((b) => {
      const range = this.domRange(b.s);
      return { ...b, range, rects: Array.from(range.getClientRects()).filter((r) => r.width >= 0.5) };
    });
    const bars = document.createDocumentFragment();
    const tints = document.createDocumentFragment();
    for (const m of measured) this.drawn.set(m.s.id, this.drawSpan(m.s, m.level, m.key, m.range, m.rects, base, bars, tints));
    this.over.append(bars);
    this.under.append(tints);
  }

  private drawSpan(
    s: Span,
    level: number,
    key: string,
    range: Range,
    rects: DOMRect[],
    base: DOMRect,
    bars: DocumentFragment,
    tints: DocumentFragment,
  ): Drawn {
    const li = this.labelIndex.get(s.label) ?? -1;
    const color = safeColor(li >= 0 ? this.labels[li].color : undefined, li >= 0 ? li : 0);
    const els: HTMLElement[] = [];
    rects.forEach((r, i) => {
      const bar = el("div", "sl-bar");
      bar.dataset.spanId = String(s.id);
      const top = r.bottom - base.top + level * LANE_PX + 1;
      bar.style.cssText = `left:${r.left - base.left}px;top:${top}px;width:${r.width}px;height:${LANE_PX - 2}px;` +
        `--c:${color};color:${inkFor(color)}`;
      if (s.origin === "suggested") bar.classList.add("sl-suggested");
      if (s.id === this.selectedId) bar.classList.add("sl-selected");
      if (i === 0) {
        bar.classList.add("sl-badge");
        const name = li >= 0 ? this.labels[li].text : s.label;
        bar.textContent = s.origin === "user" ? name : `✨${name}`;
        bar.title = describe(s, name);
        bar.setAttribute("role", "button");
        bar.setAttribute("aria-label", describe(s, name));
      }
      bars.append(bar);
      els.push(bar);
      if (!this.api) {
        // Fallback tints: boxes under the text.
        const box = el("div", `sl-tint sl-tint-${li >= 0 ? li : 0}`);
        box.style.cssText = `left:${r.left - base.left}px;top:${r.top - base.top}px;width:${r.width}px;height:${r.height}px`;
        tints.append(box);
        els.push(box);
      }
    });
    return { key, els, range };
  }

  private paintTints(): void {
    if (!this.api) return;
    const { Highlight, registry } = this.api;
    // One highlight per label; only labels whose spans changed are registered again (each new
    // registration repaints the text), and ranges are cached per span.
    const groups: AbstractRange[][] = this.labels.map(() => []);
    const keys: string[] = this.labels.map(() => "");
    const seen = new Set<number>();
    for (const s of this.spans) {
      const li = this.labelIndex.get(s.label);
      if (li === undefined) continue;
      seen.add(s.id);
      let cached = this.tintRange.get(s.id);
      if (!cached || cached.start !== s.start || cached.end !== s.end) {
        cached = { start: s.start, end: s.end, range: this.staticRange(s) };
        this.tintRange.set(s.id, cached);
      }
      groups[li].push(cached.range);
      keys[li] += `${s.id}:${s.start}:${s.end},`;
    }
    for (const id of this.tintRange.keys()) if (!seen.has(id)) this.tintRange.delete(id);
    groups.forEach((ranges, i) => {
      if (this.tintKeys[i] === keys[i]) return;
      this.tintKeys[i] = keys[i];
      registry.set(`${this.prefix}-l${i}`, new Highlight(...ranges));
    });
  }

  private paintExtras(): void {
    for (const n of ["search", "cursor", "preview"]) {
      this.api?.registry.delete(`${this.prefix}-${n}`);
      this.under.querySelectorAll(`.sl-x-${n}`).forEach((e) => e.remove());
    }
    let base: DOMRect | null = null;
    for (const [name, ranges] of this.extras) {
      const dom = ranges.map((r) => this.domRange(r));
      if (this.api) {
        const h = new this.api.Highlight(...dom);
        h.priority = name === "search" ? 1 : 2;
        this.api.registry.set(`${this.prefix}-${name}`, h);
      } else {
        base ??= this.root.getBoundingClientRect();
        for (const r of dom)
          for (const b of Array.from(r.getClientRects())) {
            const box = el("div", `sl-x sl-x-${name}`);
            box.style.cssText = `left:${b.left - base!.left}px;top:${b.top - base!.top}px;width:${b.width}px;height:${b.height}px`;
            this.under.append(box);
          }
      }
    }
  }

  private clearHighlights(): void {
    this.tintKeys = [];
    this.tintRange.clear();
    if (!this.api) return;
    this.labels.forEach((_, i) => this.api!.registry.delete(`${this.prefix}-l${i}`));
    for (const n of ["search", "cursor", "preview"]) this.api.registry.delete(`${this.prefix}-${n}`);
  }

  private staticRange(r: CpRange): StaticRange {
    return new StaticRange({
      startContainer: this.node,
      startOffset: this.offsets.toUtf16(r.start),
      endContainer: this.node,
      endOffset: this.offsets.toUtf16(r.end),
    });
  }

  private domRange(r: CpRange): Range {
    const range = document.createRange();
    range.setStart(this.node, this.offsets.toUtf16(r.start));
    range.setEnd(this.node, this.offsets.toUtf16(r.end));
    return range;
  }

  // ---- input ----

  private selectionInText(): CpRange | null {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const r = sel.getRangeAt(0);
    const start = this.clampToText(r.startContainer, r.startOffset, "start");
    const end = this.clampToText(r.endContainer, r.endOffset, "end");
    if (start === null || end === null) return null;
    return {
      start: this.offsets.toCodePoint(start, "floor"),
      end: this.offsets.toCodePoint(end, "ceil"),
    };
  }

  // A selection may begin or end outside the text node (dragging past the text): clamp to its ends.
  private clampToText(node: Node, offset: number, which: "start" | "end"): number | null {
    if (node === this.node) return offset;
    if (!this.textEl.contains(node) && !node.contains(this.textEl)) return null;
    const cmp = document.createRange();
    cmp.setStart(node, offset);
    return which === "start" ? (cmp.comparePoint(this.node, 0) >= 0 ? 0 : null) : this.node.length;
  }

  private graphemes(): number[] {
    return (this.bounds ??= graphemeBoundaries(this.offsets.text));
  }

  private snap(sel: CpRange, exact: boolean): CpRange | null {
    return exact ? snapToGraphemes(this.chars, this.graphemes(), sel) : snapToWords(this.chars, sel);
  }

  private onMouseDown = (e: MouseEvent) => {
    this.shiftDown = e.shiftKey;
    // Shift+mousedown would extend whatever selection exists elsewhere on the page; Shift here means
    // "exact characters", so start a fresh selection at the mouse.
    if (e.shiftKey) document.getSelection()?.removeAllRanges();
  };

  private onSelectionChange = () => {
    const sel = this.selectionInText();
    const snapped = sel ? this.snap(sel, this.shiftDown) : null;
    this.setExtra("preview", snapped ? [snapped] : []);
  };

  private onMouseUp = (e: MouseEvent) => {
    if (e.button !== 0) return;
    const sel = this.selectionInText();
    this.setExtra("preview", []);
    if (e.detail >= 3) return; // triple click selects a paragraph: not a label gesture
    if (e.detail === 2) {
      // The point under the mouse decides the word (the browser's own word selection differs: it
      // stops at hyphens and may pick the space after an astral letter).
      const at = this.caretAt(e) ?? sel;
      const word = at ? wordAt(this.chars, at.start) : null;
      document.getSelection()?.removeAllRanges();
      if (word) this.cb.onSelect(word, "word");
      return;
    }
    if (sel) {
      const snapped = this.snap(sel, e.shiftKey);
      document.getSelection()?.removeAllRanges();
      if (snapped) {
        this.cb.onSelect(snapped, e.shiftKey ? "exact" : "drag");
        measureSince("sl-span-add", e.timeStamp);
      }
      return;
    }
    const at = this.caretAt(e);
    this.cb.onSpanClick(at ? this.innermostAt(at.start) : null);
  };

  private onBadgeClick = (e: MouseEvent) => {
    const t = (e.target as HTMLElement).closest(".sl-bar") as HTMLElement | null;
    if (t?.dataset.spanId) this.cb.onSpanClick(Number(t.dataset.spanId));
  };

  private caretAt(e: MouseEvent): CpRange | null {
    const d = document as unknown as {
      caretPositionFromPoint?(x: number, y: number): { offsetNode: Node; offset: number } | null;
      caretRangeFromPoint?(x: number, y: number): globalThis.Range | null;
    };
    let node: Node | null = null;
    let offset = 0;
    if (d.caretPositionFromPoint) {
      const p = d.caretPositionFromPoint(e.clientX, e.clientY);
      if (p) ({ offsetNode: node, offset } = p);
    } else if (d.caretRangeFromPoint) {
      const r = d.caretRangeFromPoint(e.clientX, e.clientY);
      if (r) ({ startContainer: node, startOffset: offset } = r);
    }
    if (node !== this.node) return null;
    const cp = this.offsets.toCodePoint(offset);
    return { start: cp, end: cp };
  }

  // The shortest span covering code point `cp` (or ending right before it, since the caret lands
  // between characters).
  private innermostAt(cp: number): number | null {
    let best: Span | null = null;
    for (const s of this.spans) {
      if (s.start <= cp && cp < s.end && (!best || s.end - s.start < best.end - best.start)) best = s;
    }
    if (!best)
      for (const s of this.spans)
        if (s.end === cp && (!best || s.end - s.start < best.end - best.start)) best = s;
    return best ? best.id : null;
  }
}

/**
 * Performance entries for the benchmark: `name` from `start` to now (the DOM is updated and laid out),
 * and `name-painted` to the task after the next frame (the browser has painted it).
 */
export function measureSince(name: string, start: number): void {
  if (typeof performance === "undefined" || !performance.measure) return;
  performance.measure(name, { start, end: performance.now() });
  if (typeof requestAnimationFrame === "undefined" || typeof MessageChannel === "undefined") return;
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => performance.measure(`${name}-painted`, { start, end: performance.now() });
    ch.port2.postMessage(0);
  });
}

function spanKey(s: Span, level: number, selected: boolean): string {
  return `${s.label}|${s.start}|${s.end}|${level}|${s.origin}|${selected ? 1 : 0}|${s.score ?? ""}`;
}

function describe(s: Span, name: string): string {
  const parts = [name];
  if (s.origin === "suggested") parts.push("suggestion");
  else if (s.origin === "accepted") parts.push("accepted suggestion");
  if (s.agent) parts.push(`by ${s.agent}`);
  if (s.score !== undefined) parts.push(`score ${s.score.toFixed(2)}`);
  return parts.join(" · ");
}

function el(tag: string, cls: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = cls;
  return e;
}
