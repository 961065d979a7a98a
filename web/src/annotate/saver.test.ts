import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import type { RecordResponse, ResponseStatus, ResponseValues } from "../api/types";
import { Saver, type SaveApi } from "./saver";

const values: ResponseValues = { ner: { value: [{ label: "MAT", start: 0, end: 4 }] } };

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

function fakeApi(failures: Array<ApiError | null>) {
  const calls: string[] = [];
  const api: SaveApi = {
    async create(recordId: string, _v: ResponseValues, status: ResponseStatus) {
      calls.push(`create ${recordId} ${status}`);
      const f = failures.shift();
      if (f) throw f;
      return { id: `resp-${recordId}`, record_id: recordId, user_id: "u", status } as RecordResponse;
    },
    async update(id: string, _v: ResponseValues, status: ResponseStatus) {
      calls.push(`update ${id} ${status}`);
      const f = failures.shift();
      if (f) throw f;
      return { id, record_id: "r", user_id: "u", status } as RecordResponse;
    },
    async findMine(recordId: string) {
      calls.push(`find ${recordId}`);
      return { id: `resp-${recordId}`, record_id: recordId, user_id: "u", status: "draft" } as RecordResponse;
    },
  };
  return { api, calls };
}

const noSleep = () => Promise.resolve();

describe("Saver", () => {
  it("retries network errors and 5xx until the save lands, keeping the job meanwhile", async () => {
    const { api, calls } = fakeApi([new ApiError(0, "offline"), new ApiError(503, "busy"), null]);
    const storage = memoryStorage();
    const s = new Saver(api, { storage, sleep: noSleep });
    const seen: number[] = [];
    s.onChange = () => seen.push(s.failed.length);
    await s.save({ recordId: "r1", status: "submitted", values });
    expect(calls).toEqual(["create r1 submitted", "create r1 submitted", "create r1 submitted"]);
    expect(seen).toContain(1); // the failure was shown
    expect(s.pending).toEqual([]);
    expect(s.failed).toEqual([]);
    expect(storage.m.size).toBe(0);
  });

  it("keeps a 4xx failure with its message and does not retry by itself", async () => {
    const { api, calls } = fakeApi([new ApiError(422, "span overlaps")]);
    const storage = memoryStorage();
    const s = new Saver(api, { storage, sleep: noSleep });
    await s.save({ recordId: "r1", status: "submitted", values });
    expect(calls).toHaveLength(1);
    expect(s.failed[0]).toMatchObject({ message: "span overlaps (HTTP 422)", retrying: false });
    expect(JSON.parse(storage.m.get("spanloop.outbox")!)[0].values).toEqual(values);
    // The user retries after the server is fixed.
    await s.retryAll();
    expect(s.pending).toEqual([]);
  });

  it("drops a refused job only when asked", async () => {
    const { api } = fakeApi([new ApiError(404, "record not found")]);
    const storage = memoryStorage();
    const s = new Saver(api, { storage, sleep: noSleep });
    await s.save({ recordId: "gone", status: "submitted", values });
    expect(s.failed).toHaveLength(1);
    s.drop("gone");
    expect(s.failed).toHaveLength(0);
    expect(s.pending).toHaveLength(0);
    expect(storage.m.size).toBe(0);
  });

  it("restores unsent work from storage after a reload", async () => {
    const storage = memoryStorage();
    storage.setItem("spanloop.outbox", JSON.stringify([{ recordId: "r9", status: "draft", values }]));
    const { api, calls } = fakeApi([]);
    const s = new Saver(api, { storage, sleep: noSleep });
    expect(s.pendingFor("r9")?.status).toBe("draft");
    await s.retryAll();
    expect(calls).toEqual(["create r9 draft"]);
    expect(storage.m.size).toBe(0);
  });

  it("turns a create that already happened (409) into an update", async () => {
    const { api, calls } = fakeApi([new ApiError(409, "exists"), null]);
    const s = new Saver(api, { storage: null, sleep: noSleep });
    let saved: RecordResponse | null = null;
    s.onSaved = (_j, r) => (saved = r);
    await s.save({ recordId: "r2", status: "submitted", values });
    expect(calls).toEqual(["create r2 submitted", "find r2", "update resp-r2 submitted"]);
    expect(saved!.id).toBe("resp-r2");
  });

  it("uses PUT when the response exists", async () => {
    const { api, calls } = fakeApi([]);
    const s = new Saver(api, { storage: null, sleep: noSleep });
    await s.save({ recordId: "r3", responseId: "x", status: "discarded", values });
    expect(calls).toEqual(["update x discarded"]);
  });
});
