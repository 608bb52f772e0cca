import { describe, expect, test } from "vitest";
import { closest, editDistance } from "./closest.ts";

describe("closest(query, ids)", () => {
  test("editDistance counts single-character edits", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
  test("prefers substring matches, nearest first", () => {
    expect(closest("llama-2-7", ["llama-2-70b", "llama-2-7b", "gpt3-xl"])[0]).toBe("llama-2-7b");
    expect(closest("h100-sxmm", ["h100-sxm", "h200-sxm", "a100-sxm-80gb"])[0]).toBe("h100-sxm");
  });
});
