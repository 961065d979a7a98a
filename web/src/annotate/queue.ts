// The list of records behind the annotation view: pages of one search, read ahead so the next record
// is already in memory when the user submits. Answered records stay in the list (so ← shows what was
// just submitted) but no longer count for the server's offsets once they leave the tab's result set.

import type { DatasetRecord } from "../api/types";

export interface Page {
  items: DatasetRecord[];
  total: number;
}

/** Fetches `limit` records of the current search starting at `offset`. */
export type PageLoader = (offset: number, limit: number) => Promise<Page>;

interface Entry {
  record: DatasetRecord;
  /** The record left the search's result set (answered with another status than the tab's). */
  left: boolean;
}

export class RecordQueue {
  private entries: Entry[] = [];
  private pos = 0;
  private serverTotal = 0;
  private exhausted = false;
  private loading: Promise<void> | null = null;
  /** Called when a background page arrives (the view re-renders counts). */
  onChange: () => void = () => {};

  constructor(private readonly load: PageLoader, private readonly pageSize = 25, private readonly readAhead = 5) {}

  /** Loads the first page. */
  async start(): Promise<void> {
    this.entries = [];
    this.pos = 0;
    this.exhausted = false;
    await this.fetchMore();
  }

  get index(): number {
    return this.pos;
  }
  get size(): number {
    return this.entries.length;
  }
  /** Records matching the search that are still in it (answered ones that left are not counted). */
  get total(): number {
    return this.serverTotal;
  }
  get current(): DatasetRecord | null {
    return this.entries[this.pos]?.record ?? null;
  }
  get hasPrevious(): boolean {
    return this.pos > 0;
  }
  get hasNext(): boolean {
    return this.pos + 1 < this.entries.length || !this.exhausted;
  }
  /** The record after the current one, if it is already loaded (for rendering ahead). */
  peekNext(): DatasetRecord | null {
    return this.entries[this.pos + 1]?.record ?? null;
  }

  /** Moves to the next record; waits only when the read-ahead has not caught up. */
  async next(): Promise<DatasetRecord | null> {
    if (this.pos + 1 >= this.entries.length) {
      if (this.exhausted) return null;
      await this.fetchMore();
      if (this.pos + 1 >= this.entries.length) return null;
    }
    this.pos++;
    this.maybeReadAhead();
    return this.current;
  }

  previous(): DatasetRecord | null {
    if (this.pos > 0) this.pos--;
    return this.current;
  }

  /** Replaces a record (after a save) and notes whether it left the result set. */
  update(record: DatasetRecord, stillMatches: boolean): void {
    const e = this.entries.find((x) => x.record.id === record.id);
    if (!e) return;
    e.record = record;
    if (!stillMatches && !e.left) {
      e.left = true;
      this.serverTotal = Math.max(0, this.serverTotal - 1);
    } else if (stillMatches && e.left) {
      e.left = false;
      this.serverTotal++;
    }
  }

  private maybeReadAhead(): void {
    if (!this.exhausted && this.entries.length - this.pos <= this.readAhead) void this.fetchMore().catch(() => {});
  }

  /** Fetches the page after what is loaded (one request at a time). */
  fetchMore(): Promise<void> {
    if (this.loading) return this.loading;
    // Records that left the result set are no longer counted by the server's offsets.
    const offset = this.entries.reduce((n, e) => n + (e.left ? 0 : 1), 0);
    this.loading = this.load(offset, this.pageSize)
      .then((page) => {
        const seen = new Set(this.entries.map((e) => e.record.id));
        let added = 0;
        for (const r of page.items) {
          if (seen.has(r.id)) continue;
          this.entries.push({ record: r, left: false });
          added++;
        }
        this.serverTotal = page.total;
        if (page.items.length < this.pageSize || added === 0 || offset + page.items.length >= page.total) this.exhausted = true;
        this.onChange();
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
