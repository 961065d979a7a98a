// Suggestions in the editor: pre-fill when the user has no response, mark matches, accept and reject.

import { makeSpan, sameValue, sortSpans, type Span, type SpanValue } from "./spans";

export interface SpanSuggestion {
  value: SpanValue[];
  /** One score for the whole suggestion, or one per span. */
  score?: number | number[] | null;
  agent?: string | null;
}

function scoreOf(s: SpanSuggestion, i: number): number | undefined {
  if (typeof s.score === "number") return s.score;
  if (Array.isArray(s.score) && typeof s.score[i] === "number") return s.score[i];
  return undefined;
}

/**
 * The spans the editor starts with. With a response (any status) the user's spans win, and those
 * that equal a suggested span carry its score and agent (so the marker still shows). Without one the
 * suggested spans are pre-filled as "suggested", waiting for accept or reject; identical suggested
 * spans are kept once.
 */
export function initialSpans(response: SpanValue[] | null | undefined, suggestion: SpanSuggestion | null | undefined): Span[] {
  const suggested = suggestion?.value ?? [];
  if (response) {
    return sortSpans(
      response.map((v) => {
        const i = suggested.findIndex((s) => sameValue(s, v));
        if (i < 0) return makeSpan(v, "user");
        return makeSpan(v, "accepted", { score: scoreOf(suggestion!, i), agent: suggestion!.agent ?? undefined });
      }),
    );
  }
  const out: Span[] = [];
  suggested.forEach((v, i) => {
    if (out.some((s) => sameValue(s, v))) return;
    out.push(makeSpan(v, "suggested", { score: scoreOf(suggestion!, i), agent: suggestion!.agent ?? undefined }));
  });
  return sortSpans(out);
}

export function acceptSpan(spans: readonly Span[], id: number): Span[] {
  return spans.map((s) => (s.id === id && s.origin === "suggested" ? { ...s, origin: "accepted" } : s));
}

export function rejectSpan(spans: readonly Span[], id: number): Span[] {
  return spans.filter((s) => !(s.id === id && s.origin === "suggested"));
}

export function acceptAll(spans: readonly Span[]): Span[] {
  return spans.map((s) => (s.origin === "suggested" ? { ...s, origin: "accepted" } : s));
}

export function rejectAll(spans: readonly Span[]): Span[] {
  return spans.filter((s) => s.origin !== "suggested");
}

export function pendingCount(spans: readonly Span[]): number {
  return spans.reduce((n, s) => n + (s.origin === "suggested" ? 1 : 0), 0);
}
