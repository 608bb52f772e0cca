import { readFileSync } from "node:fs";
import type { CodedMessage } from "@flopcast/core";
import { describe, expect, it } from "vitest";
import { type CommandName, runCommand } from "./commands.ts";
import {
  FIXED_TEXT_CODES,
  isKnownCode,
  isMessageCode,
  localizeMessages,
  localizeProblems,
  MESSAGES,
  type MessageCode,
  messageText,
} from "./messages.ts";

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

  it("a plan's coded problem renders its hint per audience too", () => {
    const r = runCommand("serve", { model: "llama-3.1-405b", hardware: "l4", chips: 1, rate: 1, requests: 10 });
    if (r.ok) throw new Error("expected problems");
    expect(r.problems[0]).toMatchObject({
      code: "replica-does-not-fit",
      hint: "raise tp, lower precision, or pick a chip with more memory",
    });
    expect(localizeProblems(r.problems, "cli")[0]?.hint).toBe(
      "raise --tp, lower --precision, or pick a chip with more memory",
    );
    const batch = runCommand("serve", { model: "llama-3.1-8b", hardware: "h100-sxm", rate: 1, requests: 10, batch: 4 });
    if (batch.ok) throw new Error("expected problems");
    expect(batch.problems[0]?.message).toBe("serve has no batch: concurrency comes from the arrivals (see maxSeqs)");
    expect(localizeProblems(batch.problems, "cli")[0]?.message).toBe(
      "serve has no --batch: concurrency comes from the arrivals (see --max-seqs)",
    );
  });

  it("uncoded problems pass through unchanged", () => {
    const p = [{ path: "model", message: "unknown model" }];
    expect(localizeProblems(p, "cli")).toEqual(p);
    expect(isMessageCode("no-such-code")).toBe(false);
  });
});

/** Every `{code, params, message}` inside a result, at any depth (warnings, reasons, compare rows, skipped chips). */
function codedIn(x: unknown, out: CodedMessage[] = []): CodedMessage[] {
  if (Array.isArray(x)) for (const v of x) codedIn(v, out);
  else if (x !== null && typeof x === "object") {
    const o = x as Record<string, unknown>;
    if (typeof o.code === "string" && typeof o.message === "string" && typeof o.params === "object")
      out.push(o as unknown as CodedMessage);
    else for (const v of Object.values(o)) codedIn(v, out);
  }
  return out;
}

/** Inputs that raise most warning and reason codes (memory, layout, prices, overload, engine, precision). */
const RAISING: readonly [CommandName, Record<string, unknown>][] = [
  ["train", { model: "llama-3.1-70b", tokens: 1e12, hardware: "a100-sxm-80gb", chips: 8, tp: 1, pp: 1 }],
  [
    "train",
    {
      model: "llama-3.1-70b",
      tokens: 1e12,
      hardware: "h100-sxm",
      chips: 64,
      tp: 8,
      pp: 8,
      globalBatchTokens: 65536,
      goodput: 0.9,
    },
  ],
  ["train", { model: "llama-3.1-8b", tokens: 1e11, hardware: "gaudi3", chips: 8 }],
  ["infer", { model: "llama-3.1-8b", hardware: "a100-sxm-80gb", precision: "fp8", chips: 3, tp: 2 }],
  ["infer", { model: "llama-3.1-405b", hardware: "l4", chips: 1 }],
  ["fleet", { model: "llama-3.1-8b", hardware: "gaudi3", requestsPerDay: 1e6, sloTtftMs: 1000, simRequests: 200 }],
  ["fleet", { model: "llama-3.1-8b", hardware: "t4", requestsPerDay: 1e6, sloTtftMs: 1000, simRequests: 200 }],
  ["serve", { model: "llama-3.1-8b", hardware: "h100-sxm", rate: 200, requests: 400, engine: "foo" }],
  ["compare", { model: "llama-3.1-8b", hardware: "h100-sxm,gaudi3,t4", tokens: 1e11, chips: 8 }],
  ["search", { goal: "train", model: "llama-3.1-8b", tokens: 1e11, hardware: "h100-sxm,gaudi3", maxChips: 8 }],
];

describe("warnings and reasons are coded messages, worded for their reader", () => {
  const results = RAISING.map(([command, input]) => {
    const r = runCommand(command, input);
    if (!r.ok) throw new Error(`${command}: ${JSON.stringify(r.problems)}`);
    return r.result;
  });
  const api = results.flatMap((r) => codedIn(r));
  const cli = results.flatMap((r) => codedIn(localizeMessages(r, "cli")));

  it("the inputs above raise the codes this test is about", () => {
    const codes = new Set(api.map((m) => m.code));
    const expected = [
      ...["exceeds-memory", "weights-exceed-memory"],
      ...["pipeline-bubble", "global-batch-default", "goodput-assumed", "unvalidated-efficiency"],
      ...["weight-only-quantization", "idle-chips", "unknown-engine", "overloaded"],
      ...["no-rental-price", "no-purchase-price"],
    ];
    expect([...codes].sort()).toEqual(expected.sort());
  });

  it("every code raised has a MESSAGES entry or is a documented fixed-text code", () => {
    for (const m of api) expect(isKnownCode(m.code), m.code).toBe(true);
  });

  it("no API/web message names a command-line flag; the CLI's names its flags; code and params do not change", () => {
    for (const m of api) expect(m.message, m.code).not.toMatch(/--[a-z]/);
    expect(cli.map((m) => [m.code, m.params])).toEqual(api.map((m) => [m.code, m.params]));
    const bubble = cli.find((m) => m.code === "pipeline-bubble");
    expect(bubble?.message).toMatch(/a larger --global-batch-tokens would use the cluster better\)$/);
    expect(cli.find((m) => m.code === "overloaded")?.message).toMatch(/\(lower --rate or add --replicas\)$/);
  });

  it("a memory reason carries its bytes as params (needBytes > haveBytes)", () => {
    const mem = api.find((m) => m.code === "exceeds-memory");
    const p = mem?.params as { needBytes: number; haveBytes: number };
    expect(p.haveBytes).toBe(80e9);
    expect(p.needBytes).toBeGreaterThan(p.haveBytes);
  });

  it("hand-written texts: no-cost, no-rental-price, overloaded and pipeline-bubble in each audience", () => {
    const cost = { hardware: "gaudi3" };
    expect(messageText("no-cost", cost, "api")).toBe(
      "no $/day for gaudi3: give priceUsdPerChipHour (or priceUsdPerChip with a TDP)",
    );
    expect(messageText("no-cost", cost, "cli")).toBe(
      "no $/day for gaudi3: give --price-usd-per-chip-hour USD (or --price-usd-per-chip USD with a TDP)",
    );
    const rent = { hardware: "tpu-v5e", basis: "market", detail: null };
    expect(messageText("no-rental-price", rent, "api")).toBe(
      "no market rental price for tpu-v5e in the catalog (give priceUsdPerChipHour to price it)",
    );
    expect(messageText("no-rental-price", rent, "cli")).toBe(
      "no market rental price for tpu-v5e in the catalog (give --price-usd-per-chip-hour to price it)",
    );
    const load = { offeredReqPerS: 40, servedReqPerS: 34.2 };
    expect(messageText("overloaded", load, "api")).toBe(
      "overloaded: 40 req/s offered, 34.2 req/s served; queues grow without bound, so latency percentiles depend on the run length (lower rate or add replicas)",
    );
    expect(messageText("overloaded", load, "cli")).toBe(
      "overloaded: 40 req/s offered, 34.2 req/s served; queues grow without bound, so latency percentiles depend on the run length (lower --rate or add --replicas)",
    );
    const bubble = { sequences: 8, microBatches: 8, pp: 8, bubbleFraction: 0.0797 };
    expect(messageText("pipeline-bubble", bubble, "api")).toBe(
      "global batch of 8 sequences leaves 8 micro-batches per pipeline for pp 8: the bubble costs 8% of the step (a larger globalBatchTokens would use the cluster better)",
    );
    expect(messageText("pipeline-bubble", bubble, "cli")).toBe(
      "global batch of 8 sequences leaves 8 micro-batches per pipeline for pp 8: the bubble costs 8% of the step (a larger --global-batch-tokens would use the cluster better)",
    );
  });

  it("a fixed-text code keeps the text it was raised with in every audience", () => {
    const m = { code: "exceeds-memory", params: { needBytes: 2, haveBytes: 1 }, message: "needs 2 B, has 1 B" };
    expect(localizeMessages([m], "cli")).toEqual([m]);
  });

  it("the two tables do not overlap, and docs/messages.md lists every code", () => {
    const doc = readFileSync(new URL("../../../docs/messages.md", import.meta.url), "utf8");
    const codes = [...Object.keys(MESSAGES), ...Object.keys(FIXED_TEXT_CODES)];
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(doc, c).toContain(`| \`${c}\` |`);
  });
});
