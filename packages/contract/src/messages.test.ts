import { describe, expect, it } from "vitest";
import { runCommand } from "./commands.ts";
import { isMessageCode, localizeProblems, MESSAGES, type MessageCode, messageText } from "./messages.ts";

describe("coded messages name inputs the way each audience types them", () => {
  it("a missing --chips: the API names fields, the CLI names flags; code and params travel with both", () => {
    const r = runCommand("train", { model: "llama-3.1-8b", tokens: 1e12, hardware: "h100-sxm" });
    if (r.ok) throw new Error("expected problems");
    const p = r.problems[0];
    expect(p).toMatchObject({
      path: "chips",
      code: "fields-go-together",
      params: { fields: ["hardware", "chips"] },
      message: "hardware and chips go together",
    });
    expect(localizeProblems(r.problems, "cli")[0]?.message).toBe("--hardware and --chips go together");
  });

  it('a setting: --goal train on the command line, goal: "train" in a body', () => {
    const r = runCommand("search", { goal: "train", model: "llama-3.1-8b" });
    if (r.ok) throw new Error("expected problems");
    expect(r.problems[0]?.message).toBe('goal: "train" needs tokens');
    expect(localizeProblems(r.problems, "cli")[0]?.message).toBe("--goal train needs --tokens");
  });

  it("camelCase fields become kebab-case flags with their placeholders", () => {
    expect(messageText("fleet-needs-volume", {}, "cli")).toBe(
      "give the volume: --requests-per-day Q or --requests-per-s R",
    );
    expect(messageText("fleet-needs-volume", {}, "api")).toBe("give the volume: requestsPerDay or requestsPerS");
  });

  it("no API message names a flag; every message renders its params", () => {
    const params = {
      fields: ["prefillWorkers", "decodeWorkers"],
      field: "images",
      needs: "imageTokens",
      setting: "goal",
      value: "train",
      subject: "disaggregation",
      product: 16,
      chips: 8,
    };
    for (const code of Object.keys(MESSAGES) as MessageCode[]) {
      const api = messageText(code, params, "api");
      const cli = messageText(code, params, "cli");
      expect(api, code).not.toMatch(/--[a-z]/);
      expect(api + cli, code).not.toMatch(/undefined|\[object/);
    }
  });

  it("uncoded problems pass through unchanged", () => {
    const p = [{ path: "model", message: "unknown model" }];
    expect(localizeProblems(p, "cli")).toEqual(p);
    expect(isMessageCode("no-such-code")).toBe(false);
  });
});
