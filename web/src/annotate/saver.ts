// Saving responses without losing work: every save goes through an outbox kept in localStorage until
// the server confirms it. Network errors and 5xx retry with backoff; 4xx stay in the outbox with the
// server's message until the user fixes the record or retries.

import { ApiError } from "../api/client";
import type { RecordResponse, ResponseStatus, ResponseValues } from "../api/types";

export interface SaveJob {
  recordId: string;
  /** The user's response id when one exists (PUT), else the response is created (POST). */
  responseId?: string;
  status: ResponseStatus;
  values: ResponseValues;
}

export interface SaveApi {
  create(recordId: string, values: ResponseValues, status: ResponseStatus): Promise<RecordResponse>;
  update(responseId: string, values: ResponseValues, status: ResponseStatus): Promise<RecordResponse>;
  /** The caller's existing response on a record (after a create answered 409). */
  findMine(recordId: string): Promise<RecordResponse | null>;
}

export interface SaveFailure {
  job: SaveJob;
  message: string;
  /** True for network errors and 5xx: the saver retries by itself. */
  retrying: boolean;
}

export interface SaverOptions {
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
  storageKey?: string;
  sleep?: (ms: number) => Promise<void>;
  /** First backoff in ms, doubled up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export function isRetryable(e: unknown): boolean {
  if (e instanceof ApiError) return e.status === 0 || e.status >= 500 || e.status === 408 || e.status === 429;
  return true; // unknown failure (fetch threw): treat as network
}

export class Saver {
  private readonly jobs = new Map<string, SaveJob>();
  private readonly failures = new Map<string, SaveFailure>();
  private readonly running = new Set<string>();
  private readonly opts: Required<Omit<SaverOptions, "storage">> & { storage: SaverOptions["storage"] };
  private wake: Array<() => void> = [];
  /** Called on every change of the outbox (the view shows the failures). */
  onChange: () => void = () => {};
  /** Called with the server's response after a job is saved. */
  onSaved: (job: SaveJob, response: RecordResponse) => void = () => {};

  constructor(private readonly api: SaveApi, options: SaverOptions = {}) {
    this.opts = {
      storage: options.storage === undefined ? (typeof localStorage !== "undefined" ? localStorage : null) : options.storage,
      storageKey: options.storageKey ?? "spanloop.outbox",
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      backoffMs: options.backoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 30000,
    };
    for (const job of this.readStorage()) this.jobs.set(job.recordId, job);
  }

  /** Jobs not yet confirmed by the server (restored from storage after a reload too). */
  get pending(): SaveJob[] {
    return [...this.jobs.values()];
  }
  get failed(): SaveFailure[] {
    return [...this.failures.values()];
  }
  pendingFor(recordId: string): SaveJob | undefined {
    return this.jobs.get(recordId);
  }

  /** Queues a save; a newer save of the same record replaces an older one not yet sent. */
  save(job: SaveJob): Promise<void> {
    const prev = this.jobs.get(job.recordId);
    if (prev?.responseId && !job.responseId) job = { ...job, responseId: prev.responseId };
    this.jobs.set(job.recordId, job);
    this.failures.delete(job.recordId);
    this.writeStorage();
    this.onChange();
    return this.run(job.recordId);
  }

  /** Forgets a job the server refused (the user chose to give it up, e.g. the record was deleted). */
  drop(recordId: string): void {
    this.jobs.delete(recordId);
    this.failures.delete(recordId);
    this.writeStorage();
    this.onChange();
  }

  /** Retries every job now (the Retry button, or the browser coming back online). */
  retryAll(): Promise<void> {
    const w = this.wake;
    this.wake = [];
    for (const f of w) f();
    return Promise.all([...this.jobs.keys()].map((id) => this.run(id))).then(() => {});
  }

  private async run(recordId: string): Promise<void> {
    if (this.running.has(recordId)) return;
    this.running.add(recordId);
    try {
      for (let attempt = 0; ; attempt++) {
        const job = this.jobs.get(recordId);
        if (!job) return;
        try {
          const res = await this.send(job);
          // A newer edit may have been queued while this one was in flight: send that one too.
          if (this.jobs.get(recordId) === job) {
            this.jobs.delete(recordId);
            this.failures.delete(recordId);
            this.writeStorage();
          } else {
            const newer = this.jobs.get(recordId)!;
            if (!newer.responseId) this.jobs.set(recordId, { ...newer, responseId: res.id });
          }
          this.onSaved(job, res);
          this.onChange();
          if (!this.jobs.has(recordId)) return;
        } catch (e) {
          const retrying = isRetryable(e);
          this.failures.set(recordId, { job, message: messageOf(e), retrying });
          this.onChange();
          if (!retrying) return;
          const delay = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** Math.min(attempt, 10));
          await Promise.race([this.opts.sleep(delay), new Promise<void>((r) => this.wake.push(r))]);
        }
      }
    } finally {
      this.running.delete(recordId);
    }
  }

  private async send(job: SaveJob): Promise<RecordResponse> {
    if (job.responseId) return this.api.update(job.responseId, job.values, job.status);
    try {
      return await this.api.create(job.recordId, job.values, job.status);
    } catch (e) {
      // An earlier create may have reached the server before the connection failed.
      if (e instanceof ApiError && e.status === 409) {
        const mine = await this.api.findMine(job.recordId);
        if (mine) return this.api.update(mine.id, job.values, job.status);
      }
      throw e;
    }
  }

  private readStorage(): SaveJob[] {
    try {
      const raw = this.opts.storage?.getItem(this.opts.storageKey);
      const parsed = raw ? (JSON.parse(raw) as unknown) : [];
      return Array.isArray(parsed) ? (parsed.filter((j) => j && typeof j.recordId === "string") as SaveJob[]) : [];
    } catch {
      return [];
    }
  }

  private writeStorage(): void {
    try {
      if (this.jobs.size) this.opts.storage?.setItem(this.opts.storageKey, JSON.stringify([...this.jobs.values()]));
      else this.opts.storage?.removeItem(this.opts.storageKey);
    } catch {
      // Storage full or disabled: the job still lives in memory.
    }
  }
}

function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.status ? `${e.message} (HTTP ${e.status})` : e.message;
  return e instanceof Error ? e.message : String(e);
}
