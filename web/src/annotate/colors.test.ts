import { describe, expect, it } from "vitest";
import { inkFor, safeColor, tint } from "./colors";

describe("colors", () => {
  it("accepts only hex colours from settings", () => {
    expect(safeColor("#ABC", 0)).toBe("#aabbcc");
    expect(safeColor("#123456", 0)).toBe("#123456");
    expect(safeColor("red;}</style><script>", 0)).toBe("#1f77b4");
    expect(safeColor("url(x)", 1)).toBe("#d62728");
    expect(safeColor(undefined, 17)).toBe("#d62728");
  });
  it("picks readable ink and tints", () => {
    expect(inkFor("#ffffff")).toBe("#111");
    expect(inkFor("#000000")).toBe("#fff");
    expect(tint("#123456")).toBe("#12345640");
  });
});
