import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown } from "./markdown";

describe("parseMarkdown", () => {
  it("reads headings, paragraphs, lists, quotes, code and rules", () => {
    const md = "# Labels\n\nMark **materials** like *HfO2*.\nSecond line.\n\n- one\n- two `x`\n\n1. first\n2. second\n\n> note\n\n---\n```\n<b>raw</b>\n```";
    expect(parseMarkdown(md)).toEqual([
      { tag: "h1", children: ["Labels"] },
      { tag: "p", children: ["Mark ", { tag: "strong", children: ["materials"] }, " like ", { tag: "em", children: ["HfO2"] }, ". Second line."] },
      { tag: "ul", items: [["one"], ["two ", { tag: "code", children: ["x"] }]] },
      { tag: "ol", items: [["first"], ["second"]] },
      { tag: "blockquote", children: ["note"] },
      { tag: "hr" },
      { tag: "pre", text: "<b>raw</b>" },
    ]);
  });
  it("keeps HTML as text and drops unsafe link schemes", () => {
    expect(parseInline("<img src=x onerror=alert(1)>")).toEqual(["<img src=x onerror=alert(1)>"]);
    expect(parseInline("[click](javascript:alert`1`)")).toEqual(["click"]);
    expect(parseInline("[doc](https://example.org/a)")).toEqual([{ tag: "a", href: "https://example.org/a", children: ["doc"] }]);
  });
  it("does not italicise snake_case words", () => {
    expect(parseInline("use snake_case_name here")).toEqual(["use snake_case_name here"]);
  });
});
