import { describe, expect, it } from "vitest";
import { RecordQueue, type Page } from "./queue";
import type { DatasetRecord } from "../api/types";

const rec = (i: number): DatasetRecord => ({ id: `r${i}`, status: "pending", fields: { text: `t${i}` } });

// A fake server: `pending` holds the ids still in the result set, in order.
function server(n: number) {
  const pending = Array.from({ length: n }, (_, i) => i);
  const calls: Array<[number, number]> = [];
  const load = async (offset: number, limit: number): Promise<Page> => {
    calls.push([offset, limit]);
    return { items: pending.slice(offset, offset + limit).map(rec), total: pending.length };
  };
  return { pending, calls, load };
}

describe("RecordQueue", () => {
  it("reads ahead so the next record is loaded before it is needed", async () => {
    const s = server(12);
    const q = new RecordQueue(s.load, 5, 2);
    await q.start();
    expect(q.current?.id).toBe("r0");
    await q.next();
    await q.next();
    await q.next(); // 2 left in memory: the next page is requested in the background
    expect(s.calls.length).toBe(2);
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(q.size).toBe(10);
  });

  it("keeps answered records for ← and pages past them with the right offset", async () => {
    const s = server(7);
    const q = new RecordQueue(s.load, 3, 0);
    await q.start();
    // Submit r0 and r1: they leave the pending result set on the server.
    for (const id of [0, 1]) {
      s.pending.splice(s.pending.indexOf(id), 1);
      q.update({ ...rec(id), status: "completed" }, false);
      await q.next();
    }
    expect(q.current?.id).toBe("r2");
    expect(q.total).toBe(5);
    await q.next(); // needs the next page: offset 1 (only r2 still pending among loaded)
    expect(s.calls[1][0]).toBe(1);
    expect(q.current?.id).toBe("r3");
    expect(q.previous()?.id).toBe("r2");
    expect(q.previous()?.id).toBe("r1");
    expect(q.current?.status).toBe("completed");
  });

  it("ends cleanly", async () => {
    const s = server(2);
    const q = new RecordQueue(s.load, 5);
    await q.start();
    expect(await q.next()).toEqual(rec(1));
    expect(q.hasNext).toBe(false);
    expect(await q.next()).toBeNull();
    expect(q.current?.id).toBe("r1");
  });

  it("handles an empty queue", async () => {
    const q = new RecordQueue(server(0).load);
    await q.start();
    expect(q.current).toBeNull();
    expect(q.hasNext).toBe(false);
  });
});
