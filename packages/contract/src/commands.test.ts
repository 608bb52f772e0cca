import { PUE_IF_NOT_GIVEN } from "@flopcast/core";
import { describe, expect, it } from "vitest";
import { COMMANDS, type CommandName, runCommand } from "./commands.ts";
import { clockToday, DEFAULT_SCENARIO_DATE } from "./context.ts";
import { pueFor } from "./cost-inputs.ts";
import { SweepRowOutput, TrainClusterOutput } from "./outputs.ts";
import { runScenario } from "./run-scenario.ts";
import { formatRow, gridSize, parseGrid, scenarioAt } from "./sweep.ts";

/** Parses a result as it crosses a process boundary (JSON: NaN/Infinity become null) with the command's schema. */
function parseOutput(name: CommandName, result: unknown) {
  return COMMANDS[name].output.safeParse(JSON.parse(JSON.stringify(result)));
}

const issues = (p: { success: boolean; error?: { issues: unknown[] } }) => (p.success ? [] : p.error?.issues);

describe("every command's output parses with its output schema", () => {
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    it(`${name}: the embedded example`, { timeout: 60_000 }, () => {
      const r = runCommand(name, COMMANDS[name].example);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      expect(issues(parseOutput(name, r.result))).toEqual([]);
    });
  }

  // The other shapes a command can take: no hardware, infeasible, closed loop, disaggregated, speculative, serving goal.
  const more: [CommandName, Record<string, unknown>][] = [
    ["train", { model: "llama-3.1-8b", tokens: 1e12 }],
    ["train", { model: "llama-2-70b", tokens: 1e12, hardware: "a100-sxm-80gb", chips: 8, tp: 1, pp: 1, dp: 8 }],
    ["infer", { model: "llama-2-70b", hardware: "h100-sxm", precision: "fp16" }],
    [
      "infer",
      { model: "qwen3-30b-a3b", hardware: "h100-sxm", batch: "max", specMtp: true, specK: 2, specAcceptance: 0.7 },
    ],
    [
      "serve",
      { model: "llama-3.1-8b", hardware: "h100-sxm", concurrency: 8, requests: 60, sloTtftMs: 500, sloTpotMs: 30 },
    ],
    [
      "serve",
      {
        model: "llama-3.1-8b",
        hardware: "h100-sxm",
        chips: 2,
        prefillWorkers: 1,
        decodeWorkers: 1,
        rate: 4,
        requests: 60,
        prefixGroups: 4,
        prefixTokens: 256,
        loraAdapters: 4,
      },
    ],
    [
      "fleet",
      { model: "llama-2-70b", hardware: "t4", requestsPerS: 10, inputTokens: 512, outputTokens: 256, sloTtftMs: 100 },
    ],
    [
      "compare",
      {
        model: "llama-3.1-8b",
        hardware: "h100-sxm",
        requestsPerDay: 1e5,
        inputTokens: 512,
        outputTokens: 128,
        sloTtftMs: 1000,
        simRequests: 300,
      },
    ],
    ["hardwareShow", { id: "groq-lpu-v1" }],
    [
      "search",
      {
        goal: "serve",
        model: "llama-3.1-8b",
        hardware: "h100-sxm",
        requestsPerDay: 1e5,
        inputTokens: 512,
        outputTokens: 128,
        sloTtftMs: 1000,
      },
    ],
    ["modelShow", { id: "deepseek-v3" }],
    ["validate", { estimator: "training" }],
  ];
  for (const [name, input] of more)
    it(`${name}: ${JSON.stringify(input)}`, { timeout: 60_000 }, () => {
      const r = runCommand(name, input);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      expect(issues(parseOutput(name, r.result))).toEqual([]);
    });
});

describe("output schemas are strict: they catch a field that drifts", () => {
  const r = runCommand("train", COMMANDS.train.example);
  if (!r.ok) throw new Error("train example failed");
  const json = JSON.parse(JSON.stringify(r.result)) as Record<string, unknown>;

  it("an undocumented field fails", () => {
    const p = TrainClusterOutput.safeParse({ ...json, daysTypo: 3 });
    expect(p.success).toBe(false);
    expect(p.error?.issues[0]?.code).toBe("unrecognized_keys");
  });
  it("a missing contract field fails", () => {
    const { stepTimeS: _, ...rest } = json;
    expect(TrainClusterOutput.safeParse(rest).success).toBe(false);
  });
  it("a wrong type fails", () => {
    expect(TrainClusterOutput.safeParse({ ...json, feasible: "yes" }).success).toBe(false);
  });
});

describe("sweep rows carry the command's output schema", () => {
  it("an infer grid: every line parses as a SweepRowOutput whose result is an infer output", () => {
    const g = parseGrid({
      command: "infer",
      base: { model: "llama-3.1-8b", hardware: "h100-sxm", inputTokens: 512, outputTokens: 128 },
      grid: { batch: [1, 64], precision: ["bf16", "fp8"] },
    });
    if (!g.ok) throw new Error(JSON.stringify(g.problems));
    for (let index = 0; index < gridSize(g.grid); index++) {
      const scenario = scenarioAt(g.grid, index);
      const r = runScenario("infer", scenario);
      const line = formatRow(r.ok ? { index, scenario, result: r.result } : { index, scenario, problems: r.problems });
      const row = SweepRowOutput.parse(JSON.parse(line));
      expect(COMMANDS.infer.output.safeParse(row.result).success).toBe(true);
    }
  });
});

describe("the scenario date comes from the injected context", () => {
  it("clockToday is the UTC date of the instant", () => {
    expect(clockToday(new Date("2026-01-02T23:59:59Z"))).toBe("2026-01-02");
  });
  it("the context's today prices a train estimate; an input's own today wins", () => {
    const at = (ctx: string, input: Record<string, unknown> = {}) => {
      const r = runCommand("train", { ...COMMANDS.train.example, ...input }, { today: ctx });
      if (!r.ok || !("price" in r.result)) throw new Error("no cluster result");
      return r.result.price?.scenarioDate;
    };
    expect(at("2025-06-01")).toBe("2025-06-01");
    expect(at("2025-06-01", { today: "2024-01-15" })).toBe("2024-01-15");
  });
  it("without a context, the one default date", () => {
    const r = runCommand("hardwareShow", { id: "h100-sxm" });
    if (!r.ok) throw new Error("hardware show failed");
    expect(r.result.price.rentalUsdPerChipHour.scenarioDate).toBe(DEFAULT_SCENARIO_DATE);
  });
});

describe("PUE has one sourced default", () => {
  it("every command takes the catalog's AI-data-centre PUE when none is given, and a given one wins", () => {
    const site = pueFor(DEFAULT_SCENARIO_DATE);
    expect(site.value).toBe(1.2); // semianalysis-ai-dc-pue: 1.1–1.3, 1.2 baseline
    expect(site.basis).toMatch(/^semianalysis-ai-dc-pue/);
    expect(PUE_IF_NOT_GIVEN).toBe(site.value);
    const train = runCommand("train", COMMANDS.train.example);
    const fleet = runCommand("fleet", COMMANDS.fleet.example);
    if (!train.ok || !("assumptions" in train.result) || !fleet.ok || !("prices" in fleet.result))
      throw new Error("no cluster/fleet plan");
    expect(train.result.assumptions.find((a) => a.name === "PUE")).toMatchObject({ value: 1.2 });
    expect(fleet.result.prices.pue.value).toBe(1.2);
    // Energy scales with PUE: 1.56 (Uptime 2024 all-sites average) gives 1.56/1.2 × the energy.
    const avg = runCommand("train", { ...COMMANDS.train.example, pue: 1.56 });
    if (!avg.ok || !("energyMwh" in avg.result)) throw new Error("no cluster plan");
    expect((avg.result.energyMwh ?? 0) / (train.result.energyMwh ?? 1)).toBeCloseTo(1.56 / 1.2, 4);
  });
});
