// Typed wrappers for the REST routes the UI uses, grouped by resource. Paths follow the API
// reference (`/api/v1/...`); every function takes the client so tests can pass a fake one.
import type { ApiClient, QueryValue } from './client';
import type {
  Dataset,
  DatasetProgress,
  DatasetRecord,
  ExportFormat,
  Field,
  ImportMapping,
  ImportResult,
  Items,
  MetadataProperty,
  MyMetrics,
  Question,
  RecordResponse,
  RecordsPage,
  ResponseStatus,
  ResponseValues,
  SearchHit,
  Suggestion,
  TokenResponse,
  User,
  Workspace,
} from './types';

const v1 = '/api/v1';
const seg = encodeURIComponent;

// ---- auth and users
export function login(c: ApiClient, username: string, password: string) {
  return c.request<TokenResponse>('POST', `${v1}/token`, {
    form: { username, password },
    noAuthRedirect: true,
  });
}
export const me = (c: ApiClient) => c.get<User>(`${v1}/me`);
export const listUsers = (c: ApiClient) => c.get<Items<User>>(`${v1}/users`);
export interface UserCreate {
  username: string;
  first_name: string;
  last_name?: string;
  role: User['role'];
  password: string;
}
export const createUser = (c: ApiClient, body: UserCreate) => c.post<User>(`${v1}/users`, body);
export const updateUser = (c: ApiClient, id: string, body: Partial<UserCreate>) =>
  c.patch<User>(`${v1}/users/${seg(id)}`, body);
export const deleteUser = (c: ApiClient, id: string) => c.delete<User>(`${v1}/users/${seg(id)}`);
export interface ApiKeyIssued {
  api_key: string;
  id?: string;
  name?: string;
}
export const issueApiKey = (c: ApiClient, id: string, name?: string) =>
  c.post<ApiKeyIssued>(`${v1}/users/${seg(id)}/api-keys`, name ? { name } : {});
export const userWorkspaces = (c: ApiClient, id: string) =>
  c.get<Items<Workspace>>(`${v1}/users/${seg(id)}/workspaces`);

// ---- workspaces
export const myWorkspaces = (c: ApiClient) => c.get<Items<Workspace>>(`${v1}/me/workspaces`);
export const createWorkspace = (c: ApiClient, name: string) =>
  c.post<Workspace>(`${v1}/workspaces`, { name });
export const workspaceUsers = (c: ApiClient, id: string) =>
  c.get<Items<User>>(`${v1}/workspaces/${seg(id)}/users`);
export const addWorkspaceUser = (c: ApiClient, id: string, userId: string) =>
  c.post<User>(`${v1}/workspaces/${seg(id)}/users`, { user_id: userId });
export const removeWorkspaceUser = (c: ApiClient, id: string, userId: string) =>
  c.delete<User>(`${v1}/workspaces/${seg(id)}/users/${seg(userId)}`);

// ---- datasets and settings
export const myDatasets = (c: ApiClient, query?: { workspace_id?: string }) =>
  c.get<Items<Dataset>>(`${v1}/me/datasets`, { query });
export const getDataset = (c: ApiClient, id: string) => c.get<Dataset>(`${v1}/datasets/${seg(id)}`);
export interface DatasetCreate {
  name: string;
  workspace_id: string;
  guidelines?: string | null;
  allow_extra_metadata?: boolean;
  distribution?: { strategy: 'overlap'; min_submitted: number };
  metadata?: Record<string, unknown>;
}
export const createDataset = (c: ApiClient, body: DatasetCreate) => c.post<Dataset>(`${v1}/datasets`, body);
export const updateDataset = (c: ApiClient, id: string, body: Partial<DatasetCreate>) =>
  c.patch<Dataset>(`${v1}/datasets/${seg(id)}`, body);
export const deleteDataset = (c: ApiClient, id: string) => c.delete<Dataset>(`${v1}/datasets/${seg(id)}`);
export const publishDataset = (c: ApiClient, id: string) => c.put<Dataset>(`${v1}/datasets/${seg(id)}/publish`);
export const datasetProgress = (c: ApiClient, id: string) =>
  c.get<DatasetProgress>(`${v1}/datasets/${seg(id)}/progress`);
export const myMetrics = (c: ApiClient, id: string) =>
  c.get<MyMetrics>(`${v1}/me/datasets/${seg(id)}/metrics`);

export const listFields = (c: ApiClient, id: string) => c.get<Items<Field>>(`${v1}/datasets/${seg(id)}/fields`);
export const createField = (c: ApiClient, id: string, body: Omit<Field, 'id'>) =>
  c.post<Field>(`${v1}/datasets/${seg(id)}/fields`, body);
export const updateField = (c: ApiClient, id: string, body: Partial<Omit<Field, 'id' | 'name'>>) =>
  c.patch<Field>(`${v1}/fields/${seg(id)}`, body);
export const deleteField = (c: ApiClient, id: string) => c.delete<Field>(`${v1}/fields/${seg(id)}`);

export const listQuestions = (c: ApiClient, id: string) =>
  c.get<Items<Question>>(`${v1}/datasets/${seg(id)}/questions`);
export const createQuestion = (c: ApiClient, id: string, body: Omit<Question, 'id'>) =>
  c.post<Question>(`${v1}/datasets/${seg(id)}/questions`, body);
export const updateQuestion = (c: ApiClient, id: string, body: Partial<Omit<Question, 'id' | 'name'>>) =>
  c.patch<Question>(`${v1}/questions/${seg(id)}`, body);
export const deleteQuestion = (c: ApiClient, id: string) => c.delete<Question>(`${v1}/questions/${seg(id)}`);

/** Metadata properties the caller may see (annotators: only visible ones). */
export const listMetadataProperties = (c: ApiClient, id: string) =>
  c.get<Items<MetadataProperty>>(`${v1}/me/datasets/${seg(id)}/metadata-properties`);
export const createMetadataProperty = (c: ApiClient, id: string, body: Omit<MetadataProperty, 'id'>) =>
  c.post<MetadataProperty>(`${v1}/datasets/${seg(id)}/metadata-properties`, body);
export const updateMetadataProperty = (
  c: ApiClient,
  id: string,
  body: { title?: string; visible_for_annotators?: boolean },
) => c.patch<MetadataProperty>(`${v1}/metadata-properties/${seg(id)}`, body);
export const deleteMetadataProperty = (c: ApiClient, id: string) =>
  c.delete<MetadataProperty>(`${v1}/metadata-properties/${seg(id)}`);

// ---- records, responses, suggestions
export type Include = 'responses' | 'suggestions' | 'vectors';
export interface SearchQuery {
  query?: { text?: { q: string; field?: string } };
  filters?: { and: unknown[] };
  sort?: { scope: Record<string, string>; order: 'asc' | 'desc' }[];
}
export const searchMyRecords = (
  c: ApiClient,
  id: string,
  body: SearchQuery,
  query: { offset?: number; limit?: number; include?: Include[] } = {},
) =>
  c.request<RecordsPage<SearchHit>>('POST', `${v1}/me/datasets/${seg(id)}/records/search`, {
    json: body,
    query: query as Record<string, QueryValue>,
    retry: true, // a search has no side effect
  });
export const listRecords = (
  c: ApiClient,
  id: string,
  query: { offset?: number; limit?: number; include?: Include[] } = {},
) => c.get<RecordsPage<DatasetRecord>>(`${v1}/datasets/${seg(id)}/records`, { query: query as Record<string, QueryValue> });
export const getRecord = (c: ApiClient, id: string) => c.get<DatasetRecord>(`${v1}/records/${seg(id)}`);
export const createResponse = (c: ApiClient, recordId: string, values: ResponseValues | undefined, status: ResponseStatus) =>
  c.post<RecordResponse>(`${v1}/records/${seg(recordId)}/responses`, { values, status });
export const updateResponse = (c: ApiClient, id: string, values: ResponseValues | undefined, status: ResponseStatus) =>
  c.put<RecordResponse>(`${v1}/responses/${seg(id)}`, { values, status });
export const recordSuggestions = (c: ApiClient, recordId: string) =>
  c.get<Items<Suggestion>>(`${v1}/records/${seg(recordId)}/suggestions`);

// ---- import and export (spanloop extensions)
export function importRecords(
  c: ApiClient,
  datasetId: string,
  format: 'csv' | 'jsonl',
  mapping: ImportMapping,
  file: Blob,
  fileName = 'upload',
) {
  const form = new FormData();
  form.append('format', format);
  form.append('mapping', JSON.stringify(mapping));
  form.append('file', file, fileName);
  return c.request<ImportResult>('POST', `${v1}/datasets/${seg(datasetId)}/records/import`, { body: form });
}

export interface ExportParams {
  format: ExportFormat;
  scheme?: string;
  tokenizer?: string;
  status?: string;
  alignment?: string;
  overlap?: string;
  source?: string;
  question?: string;
}
export const exportUrl = (c: ApiClient, datasetId: string, params: ExportParams) =>
  c.url(`${v1}/datasets/${seg(datasetId)}/export`, params as unknown as Record<string, QueryValue>);
export const exportReport = (c: ApiClient, datasetId: string, params: ExportParams) =>
  c.get<Record<string, unknown>>(`${v1}/datasets/${seg(datasetId)}/export`, {
    query: { ...(params as unknown as Record<string, QueryValue>), report: 1 },
  });
/** The export file as a Blob (fetched with auth headers, so a plain link would not do). */
export const exportFile = (c: ApiClient, datasetId: string, params: ExportParams) =>
  c
    .get<Response>(`${v1}/datasets/${seg(datasetId)}/export`, {
      query: params as unknown as Record<string, QueryValue>,
      raw: true,
    })
    .then((r) => r.blob());
