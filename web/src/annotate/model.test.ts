import { describe, expect, it } from "vitest";
import type { Dataset, DatasetRecord, Question } from "../api/types";
import { defaultColor } from "../lib/labels";
import { myResponse, recordText, responseSpans, spanSetup, spanSuggestion } from "./model";

const question: Question = {
  id: "q1",
  name: "ner",
  title: "Entities",
  required: true,
  settings: { type: "span", field: "text", options: [{ value: "MAT", text: "Material" }, { value: "PROP", text: "Property" }], allow_overlapping: false },
};

describe("model", () => {
  it("finds the span question and the label colours in the dataset metadata", () => {
    const ds = { id: "d", name: "n", status: "ready", workspace_id: "w", metadata: { "spanloop.label_colors": { MAT: "#ff0000", PROP: 7 } } } as Dataset;
    const s = spanSetup([{ ...question, id: "t", name: "comment", settings: { type: "text" } }, question], ds)!;
    expect(s.question.name).toBe("ner");
    expect(s.labels).toEqual([
      { value: "MAT", text: "Material", color: "#ff0000" },
      { value: "PROP", text: "Property", color: defaultColor(1) },
    ]);
    expect(spanSetup([])).toBeNull();
  });

  it("reads the caller's response, spans and the suggestion", () => {
    const rec: DatasetRecord = {
      id: "r",
      status: "pending",
      fields: { text: "a😀b", other: 3 },
      responses: [
        { id: "x", user_id: "u2", record_id: "r", status: "submitted", values: { ner: { value: [{ label: "MAT", start: 0, end: 1 }] } } },
        { id: "y", user_id: "u1", record_id: "r", status: "draft", values: { ner: { value: [{ label: "PROP", start: 1, end: 2 }] } } },
      ],
      suggestions: [{ question_id: "q1", value: [{ label: "MAT", start: 2, end: 3 }], score: [0.5], agent: "m" }],
    };
    expect(recordText(rec, "text")).toBe("a😀b");
    expect(recordText(rec, "other")).toBe("3");
    expect(recordText(rec, "missing")).toBe("");
    expect(myResponse(rec, "u1")?.id).toBe("y");
    expect(responseSpans(myResponse(rec, "u1"), "ner")).toEqual([{ label: "PROP", start: 1, end: 2 }]);
    expect(responseSpans(myResponse(rec, "u3"), "ner")).toBeNull();
    expect(responseSpans({ ...rec.responses![0], values: { ner: { value: "junk" } } }, "ner")).toBeNull();
    expect(spanSuggestion(rec, "q1")).toEqual({ value: [{ label: "MAT", start: 2, end: 3 }], score: [0.5], agent: "m" });
    expect(spanSuggestion(rec, "q2")).toBeNull();
  });
});
