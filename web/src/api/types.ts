// Wire types of the Argilla-compatible REST API (docs: ../shared/reference/argilla-api.md §1).
// Offsets in span values are Unicode code points, end exclusive.

export type Role = 'owner' | 'admin' | 'annotator';

export interface User {
  id: string;
  username: string;
  first_name: string;
  last_name?: string | null;
  role: Role;
  api_key?: string;
  inserted_at?: string;
  updated_at?: string;
}

export interface Workspace {
  id: string;
  name: string;
  inserted_at?: string;
  updated_at?: string;
}

export interface Distribution {
  strategy: 'overlap';
  min_submitted: number;
}

export interface Dataset {
  id: string;
  name: string;
  guidelines?: string | null;
  allow_extra_metadata?: boolean;
  status: 'draft' | 'ready';
  distribution?: Distribution;
  metadata?: Record<string, unknown> | null;
  workspace_id: string;
  inserted_at?: string;
  updated_at?: string;
}

export interface TextFieldSettings {
  type: 'text';
  use_markdown?: boolean;
}

export interface Field {
  id: string;
  name: string;
  title: string;
  required: boolean;
  settings: TextFieldSettings | { type: string; [k: string]: unknown };
  dataset_id?: string;
}

export interface LabelOption {
  value: string;
  text: string;
  description?: string | null;
}

export interface SpanQuestionSettings {
  type: 'span';
  field: string;
  options: LabelOption[];
  visible_options?: number | null;
  allow_overlapping: boolean;
  allow_character_annotation?: boolean;
}

export interface LabelQuestionSettings {
  type: 'label_selection' | 'multi_label_selection';
  options: LabelOption[];
  visible_options?: number | null;
  options_order?: 'natural' | 'suggestion';
}

export interface RatingQuestionSettings {
  type: 'rating';
  options: { value: number }[];
}

export interface TextQuestionSettings {
  type: 'text';
  use_markdown?: boolean;
}

export interface RankingQuestionSettings {
  type: 'ranking';
  options: LabelOption[];
}

export type QuestionSettings =
  | SpanQuestionSettings
  | LabelQuestionSettings
  | RatingQuestionSettings
  | TextQuestionSettings
  | RankingQuestionSettings;

export interface Question {
  id: string;
  name: string;
  title: string;
  description?: string | null;
  required: boolean;
  settings: QuestionSettings;
  dataset_id?: string;
}

export interface MetadataSettingsTerms {
  type: 'terms';
  values?: string[] | null;
}
export interface MetadataSettingsNumeric {
  type: 'integer' | 'float';
  min?: number | null;
  max?: number | null;
}

export interface MetadataProperty {
  id: string;
  name: string;
  title: string;
  settings: MetadataSettingsTerms | MetadataSettingsNumeric;
  visible_for_annotators: boolean;
  dataset_id?: string;
}

export interface Span {
  label: string;
  start: number;
  end: number;
}

export type ResponseStatus = 'draft' | 'submitted' | 'discarded';

export interface ResponseValues {
  [question: string]: { value: unknown };
}

export interface RecordResponse {
  id: string;
  values?: ResponseValues | null;
  status: ResponseStatus;
  record_id: string;
  user_id: string;
  inserted_at?: string;
  updated_at?: string;
}

export interface Suggestion {
  id?: string;
  question_id: string;
  type?: 'model' | 'human' | null;
  value: unknown;
  score?: number | number[] | null;
  agent?: string | null;
}

export interface DatasetRecord {
  id: string;
  status: 'pending' | 'completed';
  fields: Record<string, unknown>;
  metadata?: Record<string, unknown> | null;
  external_id?: string | null;
  responses?: RecordResponse[];
  suggestions?: Suggestion[];
  dataset_id?: string;
  inserted_at?: string;
  updated_at?: string;
}

export interface Items<T> {
  items: T[];
}

export interface RecordsPage<T> extends Items<T> {
  total: number;
}

export interface SearchHit {
  record: DatasetRecord;
  query_score?: number | null;
}

export interface DatasetProgress {
  total: number;
  completed: number;
  pending: number;
}

export interface MyMetrics {
  responses: {
    total: number;
    submitted: number;
    discarded: number;
    draft: number;
    pending: number;
  };
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  /** Seconds the token stays valid (spanloop). */
  expires_in?: number;
}

export interface ImportRowError {
  row: number;
  message: string;
  field?: string;
}

export interface ImportResult {
  imported: number;
  created?: number;
  updated?: number;
  rows?: number;
  /** All errors counted; `errors` lists the first ones. */
  error_count?: number;
  /** `row` is the line the row starts on in the uploaded text (the CSV header is line 1). */
  errors: ImportRowError[];
}

/** Where each source column goes on import. */
export interface ImportMapping {
  fields: Record<string, string>; // field name -> column
  metadata: Record<string, string>; // metadata property -> column
  external_id?: string | string[]; // column(s), joined with ':'; omitted = `external_id`/`id` column
  /** Column with a JSON list of {start,end,label} spans, imported as suggestions or responses. */
  spans?: string;
  spans_as?: 'suggestion' | 'response';
}

export type ExportFormat = 'conll' | 'iob-jsonl' | 'spans-jsonl';
export type TagScheme = 'iob1' | 'iob2' | 'ioe1' | 'ioe2' | 'iobes' | 'bilou';
