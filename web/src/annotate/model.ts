// Reading the dataset settings and records the annotation view needs, in the wire types of api/.

import type { Dataset, DatasetRecord, Field, MetadataProperty, Question, RecordResponse, SpanQuestionSettings } from "../api/types";
import { defaultColor, storedLabelColors } from "../lib/labels";
import type { SpanValue } from "./spans";
import type { SpanSuggestion } from "./suggestions";
import type { PaneLabel } from "./textpane";

export interface AnnotateSettings {
  dataset: Dataset;
  fields: Field[];
  questions: Question[];
  metadata: MetadataProperty[];
  agents: string[];
}

export interface SpanSetup {
  question: Question;
  settings: SpanQuestionSettings;
  labels: PaneLabel[];
}

/**
 * The dataset's (first) span question, or null when it has none. Label colours come from the
 * dataset metadata key `spanloop.label_colors` ({value: "#rrggbb"}) that the settings screen writes;
 * they are checked again before use (colors.ts).
 */
export function spanSetup(questions: Question[], dataset?: Dataset): SpanSetup | null {
  const q = questions.find((x) => x.settings.type === "span");
  if (!q) return null;
  const settings = q.settings as SpanQuestionSettings;
  // Same colours as the settings screen: the stored ones, else its palette by position.
  const colors = storedLabelColors(dataset);
  const labels = (settings.options ?? []).map((o, i) => ({
    value: String(o.value),
    text: String(o.text ?? o.value),
    color: colors[String(o.value)] ?? defaultColor(i),
  }));
  return { question: q, settings, labels };
}

export function recordText(record: DatasetRecord, field: string): string {
  const v = record.fields?.[field];
  return typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v);
}

export function myResponse(record: DatasetRecord, userId: string | undefined): RecordResponse | null {
  return record.responses?.find((r) => r.user_id === userId) ?? null;
}

function isSpanList(v: unknown): v is SpanValue[] {
  return Array.isArray(v) && v.every((s) => s && typeof s.label === "string" && Number.isInteger(s.start) && Number.isInteger(s.end));
}

/** The user's spans for the question, or null when the response has no answer for it. */
export function responseSpans(resp: RecordResponse | null, question: string): SpanValue[] | null {
  const v = resp?.values?.[question]?.value;
  return isSpanList(v) ? v : null;
}

export function spanSuggestion(record: DatasetRecord, questionId: string): SpanSuggestion | null {
  const s = record.suggestions?.find((x) => x.question_id === questionId);
  if (!s || !isSpanList(s.value)) return null;
  return { value: s.value, score: s.score ?? null, agent: s.agent ?? null };
}
