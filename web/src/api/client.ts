// One HTTP client for the whole UI: auth headers, JSON in and out, `{detail}` errors surfaced as
// ApiError, retry with backoff on network errors and 5xx, and 401 ending the session.
import { authHeaders, type SessionData, type SessionStore } from './session';

export class ApiError extends Error {
  /** HTTP status; 0 for a network failure. */
  readonly status: number;
  /** Machine-readable code from `{"detail":{"code":...}}`, when the server gave one. */
  readonly code?: string;
  /** The raw `detail` of the error body. */
  readonly detail: unknown;

  constructor(status: number, message: string, code?: string, detail?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

/** Turns an error body into one readable line: `{detail:"..."}`, `{detail:{code,message}}`,
 * FastAPI-style `{detail:[{loc,msg}]}` or plain text. */
export function errorMessage(status: number, body: unknown): { message: string; code?: string } {
  const detail = (body as { detail?: unknown } | null)?.detail ?? body;
  if (typeof detail === 'string' && detail) return { message: detail };
  if (detail && typeof detail === 'object' && !Array.isArray(detail)) {
    const d = detail as { code?: unknown; message?: unknown };
    const code = typeof d.code === 'string' ? d.code : undefined;
    if (typeof d.message === 'string') return { message: d.message, code };
    if (code) return { message: code, code };
  }
  if (Array.isArray(detail) && detail.length) {
    const parts = detail.map((e) => {
      const item = e as { loc?: unknown[]; msg?: unknown };
      const where = Array.isArray(item.loc) ? item.loc.join('.') : '';
      const msg = typeof item.msg === 'string' ? item.msg : JSON.stringify(e);
      return where ? `${where}: ${msg}` : msg;
    });
    return { message: parts.join('; ') };
  }
  return { message: `HTTP ${status}` };
}

export type QueryValue = string | number | boolean | null | undefined | (string | number)[];

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** JSON body. */
  json?: unknown;
  /** Form-encoded body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /** Any other body (FormData for multipart uploads). */
  body?: BodyInit;
  headers?: Record<string, string>;
  /** Retry network errors and 5xx; defaults to true for GET/PUT/DELETE (idempotent). */
  retry?: boolean;
  /** Return the raw Response instead of parsed JSON (downloads). */
  raw?: boolean;
  /** A 401 here does not end the session (used by the login form itself). */
  noAuthRedirect?: boolean;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  /** Prefix of every path; '' means same origin. */
  baseUrl?: string;
  session: SessionStore;
  fetch?: typeof fetch;
  /** Number of retries after the first try (default 3). */
  retries?: number;
  /** First backoff delay in ms; doubles each retry (default 300). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called once when the server answers 401 to a signed-in request. */
  onUnauthorized?: () => void;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function buildQuery(query?: Record<string, QueryValue>): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export class ApiClient {
  readonly baseUrl: string;
  readonly session: SessionStore;
  private readonly fetchImpl: typeof fetch;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  onUnauthorized?: () => void;

  constructor(options: ApiClientOptions) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
    this.session = options.session;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 300;
    this.sleep = options.sleep ?? defaultSleep;
    this.onUnauthorized = options.onUnauthorized;
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    return `${this.baseUrl}${path}${buildQuery(query)}`;
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const sentWith = this.session.get();
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...authHeaders(sentWith),
      ...opts.headers,
    };
    let body: BodyInit | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    }
    const idempotent = method === 'GET' || method === 'PUT' || method === 'DELETE' || method === 'HEAD';
    const retry = opts.retry ?? idempotent;
    const url = this.url(path, opts.query);

    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchImpl(url, { method, headers, body, signal: opts.signal });
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        if (retry && attempt < this.retries) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        throw new ApiError(0, `Cannot reach the server (${(e as Error)?.message ?? 'network error'})`);
      }
      if (res.status >= 500 && retry && attempt < this.retries) {
        await this.sleep(this.backoff(attempt));
        continue;
      }
      if (res.ok) {
        if (opts.raw) return res as unknown as T;
        if (res.status === 204) return undefined as T;
        const text = await res.text();
        return (text ? JSON.parse(text) : undefined) as T;
      }
      const parsed = await readBody(res);
      const { message, code } = errorMessage(res.status, parsed);
      // Only the session that sent the request ends: a late 401 for a request made after a
      // sign-out (no credentials) or with an older token must not end the next user's session.
      if (res.status === 401 && !opts.noAuthRedirect && sentWith && sameSession(sentWith, this.session.get())) {
        this.session.clear();
        this.onUnauthorized?.();
      }
      throw new ApiError(res.status, message, code, (parsed as { detail?: unknown } | null)?.detail ?? parsed);
    }
  }

  private backoff(attempt: number): number {
    return this.backoffMs * 2 ** attempt;
  }

  get<T>(path: string, opts?: RequestOptions) {
    return this.request<T>('GET', path, opts);
  }
  post<T>(path: string, json?: unknown, opts?: RequestOptions) {
    return this.request<T>('POST', path, { ...opts, json });
  }
  put<T>(path: string, json?: unknown, opts?: RequestOptions) {
    return this.request<T>('PUT', path, { ...opts, json });
  }
  patch<T>(path: string, json?: unknown, opts?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...opts, json });
  }
  delete<T>(path: string, opts?: RequestOptions) {
    return this.request<T>('DELETE', path, opts);
  }
}

function sameSession(a: SessionData, b: SessionData | null): boolean {
  return !!b && a.kind === b.kind && a.token === b.token;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  }
}
