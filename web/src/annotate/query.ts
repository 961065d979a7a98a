// The body of POST /api/v1/me/datasets/{id}/records/search for the annotation view's queue:
// status tab, text search, filters and sort, as the API's SearchRecordsQuery (§1.5 of the reference).

export type Tab = "pending" | "draft" | "submitted" | "discarded";
export const TABS: Tab[] = ["pending", "draft", "submitted", "discarded"];

export interface MetadataFilter {
  name: string;
  /** terms property: the allowed terms (ORed). */
  values?: string[];
  /** integer/float property: inclusive bounds. */
  ge?: number;
  le?: number;
}

export interface QueueQuery {
  tab: Tab;
  text?: string;
  metadata?: MetadataFilter[];
  /** Span question name, needed for suggestion and label filters. */
  question?: string;
  agents?: string[];
  scoreGe?: number;
  scoreLe?: number;
  /** Span labels the record's spans must contain: mine on the answered tabs, the suggestion's on Pending. */
  labels?: string[];
  sort?: { by: "inserted_at" | "updated_at" | "suggestion_score" | `metadata:${string}`; order: "asc" | "desc" };
}

type Json = Record<string, unknown>;

export function searchBody(q: QueueQuery): Json {
  const and: Json[] = [{ type: "terms", scope: { entity: "response", property: "status" }, values: [q.tab] }];
  // Pending shows only records that still need answers (Argilla's queue does the same).
  if (q.tab === "pending") and.push({ type: "terms", scope: { entity: "record", property: "status" }, values: ["pending"] });
  for (const m of q.metadata ?? []) {
    if (m.values && m.values.length) and.push({ type: "terms", scope: { entity: "metadata", metadata_property: m.name }, values: m.values });
    else if (m.ge !== undefined || m.le !== undefined) and.push(range({ entity: "metadata", metadata_property: m.name }, m.ge, m.le));
  }
  if (q.question) {
    if (q.agents?.length) and.push({ type: "terms", scope: { entity: "suggestion", question: q.question, property: "agent" }, values: q.agents });
    if (q.scoreGe !== undefined || q.scoreLe !== undefined)
      and.push(range({ entity: "suggestion", question: q.question, property: "score" }, q.scoreGe, q.scoreLe));
    if (q.labels?.length) {
      const entity = q.tab === "pending" ? "suggestion" : "response";
      const scope = entity === "suggestion" ? { entity, question: q.question, property: "value" } : { entity, question: q.question };
      and.push({ type: "terms", scope, values: q.labels });
    }
  }
  const body: Json = { filters: { and } };
  const text = q.text?.trim();
  if (text) body.query = { text: { q: text } };
  if (q.sort) body.sort = [{ scope: sortScope(q.sort.by, q.question), order: q.sort.order }];
  return body;
}

function range(scope: Json, ge?: number, le?: number): Json {
  const f: Json = { type: "range", scope };
  if (ge !== undefined) f.ge = ge;
  if (le !== undefined) f.le = le;
  return f;
}

function sortScope(by: string, question?: string): Json {
  if (by.startsWith("metadata:")) return { entity: "metadata", metadata_property: by.slice("metadata:".length) };
  if (by === "suggestion_score") return { entity: "suggestion", question, property: "score" };
  return { entity: "record", property: by };
}

/** Words of a text query, for highlighting hits in the record. */
export function searchTerms(text: string | undefined): string[] {
  return (text ?? "").split(/\s+/u).map((w) => w.replace(/^[+\-"|(]+|["|)*~]+$/g, "")).filter((w) => w.length > 0);
}

/** Hits of `terms` in `text`, case-insensitive, as code point ranges. */
export function findHits(text: string, terms: string[], toCodePoint: (u: number) => number): Array<{ start: number; end: number }> {
  if (!terms.length) return [];
  const re = new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "giu");
  const out: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(re)) {
    if (!m[0]) continue;
    out.push({ start: toCodePoint(m.index!), end: toCodePoint(m.index! + m[0].length) });
    if (out.length >= 2000) break;
  }
  return out;
}
