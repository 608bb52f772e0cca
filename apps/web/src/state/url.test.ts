import { describe, expect, test } from "vitest";
import { parseHash, toHash } from "./url.ts";

describe("URL state", () => {
  test("round-trips a scenario through the hash", () => {
    const r = { page: "infer", params: { model: "llama-3.1-8b", hardware: "h100-sxm", batch: "max" } };
    expect(parseHash(toHash(r))).toEqual(r);
  });
  test("an empty hash opens the Train page", () => {
    expect(parseHash("")).toEqual({ page: "train", params: {} });
  });
});
