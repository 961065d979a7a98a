// The spans of one record in the editor, and the pure edits on them (every edit returns a new list).

import { overlaps } from "./overlap";

/** A span as the API stores it: code point offsets, end exclusive. */
export interface SpanValue {
  label: string;
  start: number;
  end: number;
}

/** Where a span in the editor comes from. "suggested" spans wait for accept/reject. */
export type SpanOrigin = "user" | "suggested" | "accepted";

export interface Span extends SpanValue {
  /** Stable id inside the editor session (not sent to the API). */
  id: number;
  origin: SpanOrigin;
  /** Set when the span matches a suggestion (same label and range). */
  score?: number;
  agent?: string;
}

let nextId = 1;
export function newSpanId(): number {
  return nextId++;
}

export function makeSpan(v: SpanValue, origin: SpanOrigin = "user", extra: Partial<Span> = {}): Span {
  return { label: v.label, start: v.start, end: v.end, origin, id: newSpanId(), ...extra };
}

/** Text order: by start, then longer first, then label. */
export function sortSpans<T extends SpanValue>(spans: readonly T[]): T[] {
  return [...spans].sort((a, b) => a.start - b.start || b.end - a.end || cmp(a.label, b.label));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sameValue(a: SpanValue, b: SpanValue): boolean {
  return a.start === b.start && a.end === b.end && a.label === b.label;
}

/** Spans that share at least one position with [start, end). */
export function overlapping(spans: readonly Span[], range: { start: number; end: number }): Span[] {
  return spans.filter((s) => overlaps(s, range));
}

export type AddResult =
  | { kind: "added"; spans: Span[]; span: Span }
  | { kind: "duplicate"; spans: Span[]; span: Span }
  /** Overlap is not allowed: the caller must ask before calling replaceWith(). */
  | { kind: "conflict"; spans: Span[]; conflicts: Span[] };

/** Adds a user span. Never removes anything: overlaps without permission come back as a conflict. */
export function addSpan(spans: readonly Span[], v: SpanValue, allowOverlap: boolean): AddResult {
  const dup = spans.find((s) => sameValue(s, v));
  if (dup) return { kind: "duplicate", spans: [...spans], span: dup };
  if (!allowOverlap) {
    const conflicts = overlapping(spans, v);
    if (conflicts.length > 0) return { kind: "conflict", spans: [...spans], conflicts };
  }
  const span = makeSpan(v);
  return { kind: "added", spans: [...spans, span], span };
}

/** Replaces the overlapping spans with a new one (after the user said yes). */
export function replaceWith(spans: readonly Span[], v: SpanValue): { spans: Span[]; span: Span } {
  const span = makeSpan(v);
  return { spans: [...spans.filter((s) => !overlaps(s, v)), span], span };
}

export function removeSpan(spans: readonly Span[], id: number): Span[] {
  return spans.filter((s) => s.id !== id);
}

/**
 * Changes a span's label. If another span already has that label on the same range the edit
 * would make a duplicate, so the span is removed instead.
 */
export function relabelSpan(spans: readonly Span[], id: number, label: string): Span[] {
  const target = spans.find((s) => s.id === id);
  if (!target || target.label === label) return [...spans];
  if (spans.some((s) => s.id !== id && sameValue(s, { ...target, label }))) return removeSpan(spans, id);
  return spans.map((s) => (s.id === id ? { ...s, label, origin: s.origin === "suggested" ? "accepted" : s.origin } : s));
}

/** The value sent to the API: every span in the editor (pending suggestions included), in text order. */
export function toValue(spans: readonly Span[]): SpanValue[] {
  return sortSpans(spans).map((s) => ({ label: s.label, start: s.start, end: s.end }));
}
