/**
 * Work budgets (docs/security.md): how much a scenario asks the estimators to do, computed from the *validated*
 * values (so `"50M"`, `"1T"` or `1e308` are counted as the numbers they parse to), checked against a cap before
 * anything is allocated. One function for every entry point: the API (tight caps: one call must not hold a
 * worker for minutes), the CLI and sweeps (loose caps: they only stop absurd inputs that would exhaust memory).
 * Over a cap is bad input: a problem naming the field and the cap (HTTP 400, CLI exit 2).
 */
import type { Problem } from "@flopcast/core";
import { formatInteger } from "./format.ts";
import type { GridFile } from "./sweep.ts";

export interface WorkBudget {
  /** Who the caps apply to, for messages ("API call", "CLI run"). */
  readonly scope: string;
  /** Hint added to every over-cap problem. */
  readonly hint: string;
  /** serve: simulated requests = `requests`, or ⌈rate × duration⌉ (or trace rows). */
  readonly simulatedRequests: number;
  /** serve: simulated requests × replicas (each replica runs its own scheduler loop). */
  readonly requestReplicas: number;
  /** serve: simulated requests × (⌈mean input ÷ prefill chunk⌉ + mean output) ≈ sequence-iterations of the DES. */
  readonly sequenceSteps: number;
  /** serve: replicas (or prefill + decode replicas). */
  readonly replicas: number;
  /** infer/serve: draft tokens per speculative step. */
  readonly specK: number;
  /** serve: LoRA adapters (a Zipf table of this many entries is built). */
  readonly loraAdapters: number;
  /** serve: shared-prefix groups. */
  readonly prefixGroups: number;
  /** fleet/compare/search: DES requests per confirmation run × chips compared. */
  readonly fleetSimRequests: number;
  /** fleet/compare: DES requests per run × (⌈input ÷ 2,048⌉ + output) × chips compared (~245 runs per chip). */
  readonly fleetSequenceSteps: number;
  /** compare/search: chips in the `hardware` list. */
  readonly hardwareList: number;
  /** Tokens of one request (input, output, prefix): 2× the longest published context window (10M, Llama 4 Scout). */
  readonly tokensPerRequest: number;
  /** sweep: scenarios in a grid. */
  readonly gridScenarios: number;
}

/**
 * HTTP API caps: sized so that the largest allowed call finishes in well under the API's wall-clock limit
 * (≈ 2–5 M DES sequence-steps per second on one core; fleet runs ~245 DES confirmations per chip).
 */
export const API_BUDGET: WorkBudget = {
  scope: "API call",
  hint: "the CLI (flopcast serve/fleet/compare) allows larger runs",
  simulatedRequests: 200_000,
  requestReplicas: 2_000_000,
  sequenceSteps: 60_000_000,
  replicas: 1024,
  specK: 64,
  loraAdapters: 100_000,
  prefixGroups: 1_000_000,
  fleetSimRequests: 50_000,
  fleetSequenceSteps: 20_000_000,
  hardwareList: 64,
  tokensPerRequest: 20_000_000,
  gridScenarios: 0,
};

/** CLI and sweep caps: far above any real study, low enough that arrays of this size can be allocated. */
export const CLI_BUDGET: WorkBudget = {
  scope: "run",
  hint: "split the study into smaller runs (or sweep shards)",
  // Each simulated request holds ≈ 640 bytes of records and queue state (1e6 requests peak at 642 MB RSS,
  // measured with /usr/bin/time on Llama-3.1-8B / H100): 2e6 stays near 1.3 GB, inside Node's default heap
  // (≈ 4 GB); 1e7 would need ≈ 6.4 GB and die of heap exhaustion after minutes instead of being refused at once.
  simulatedRequests: 2_000_000,
  requestReplicas: 1_000_000_000,
  sequenceSteps: 100_000_000_000,
  replicas: 100_000,
  specK: 64,
  loraAdapters: 10_000_000,
  prefixGroups: 10_000_000,
  fleetSimRequests: 1_000_000,
  fleetSequenceSteps: 10_000_000_000,
  hardwareList: 256,
  tokensPerRequest: 20_000_000,
  gridScenarios: 1_000_000,
};

type Dist = { kind: string; tokens?: number; min?: number; max?: number; median?: number; sigma?: number };

/** Mean tokens of a parsed length distribution (fixed, uniform, lognormal, empirical). */
function meanTokens(d: unknown, fallback: number): number {
  if (typeof d !== "object" || d === null) return fallback;
  const x = d as Dist & { values?: readonly number[] };
  switch (x.kind) {
    case "fixed":
      return x.tokens ?? fallback;
    case "uniform":
      return ((x.min ?? 0) + (x.max ?? 0)) / 2;
    case "lognormal":
      return (x.median ?? 0) * Math.exp((x.sigma ?? 0) ** 2 / 2);
    case "empirical":
      return x.values?.length ? x.values.reduce((a, b) => a + b, 0) / x.values.length : fallback;
    default:
      return fallback;
  }
}

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const fmt = (n: number) => (Number.isFinite(n) ? formatInteger(n) : String(n));

/**
 * Problems for every quantity of a validated scenario over the budget (empty when within). Works on any
 * command's parsed scenario: it reads the fields by name (requests, rate, duration, replicas, specK, …).
 * `traceRows` counts a replayed trace (serve) instead of `requests`.
 */
export function workProblems(
  s: Readonly<Record<string, unknown>>,
  budget: WorkBudget,
  opts: { traceRows?: number } = {},
): Problem[] {
  const problems: Problem[] = [];
  const over = (path: string, what: string, value: number, cap: number) => {
    if (!(value <= cap))
      problems.push({
        path,
        message: `${what} = ${fmt(value)} exceeds the cap of ${fmt(cap)} per ${budget.scope}`,
        hint: budget.hint,
      });
  };
  for (const key of ["inputTokens", "outputTokens", "prefixTokens"]) {
    const v = num(s[key]);
    if (v !== undefined) over(key, key, v, budget.tokensPerRequest);
  }
  const specK = num(s.specK);
  if (specK !== undefined) over("specK", "specK (draft tokens per step)", specK, budget.specK);
  const lora = num(s.loraAdapters);
  if (lora !== undefined) over("loraAdapters", "LoRA adapters", lora, budget.loraAdapters);
  const groups = num(s.prefixGroups);
  if (groups !== undefined) over("prefixGroups", "prefix groups", groups, budget.prefixGroups);

  // serve: simulated requests, replicas and DES sequence-steps.
  const rate = num(s.rate);
  const requests = num(s.requests);
  const duration = num(s.duration);
  // Closed loop (--concurrency C): warm-up (default 2·C) + measured (default 10·C) requests.
  const concurrency = num(s.concurrency);
  const closedLoop =
    concurrency !== undefined ? (requests ?? 10 * concurrency) + (num(s.warmupRequests) ?? 2 * concurrency) : undefined;
  const simulated =
    opts.traceRows ??
    closedLoop ??
    requests ??
    (duration !== undefined ? Math.max(1, Math.round((rate ?? 1) * duration)) : undefined);
  if (simulated !== undefined) {
    const path =
      opts.traceRows !== undefined
        ? "trace"
        : closedLoop !== undefined
          ? "concurrency"
          : requests !== undefined
            ? "requests"
            : "duration";
    const before = problems.length;
    over(path, "simulated requests", simulated, budget.simulatedRequests);
    const prefillWorkers = num(s.prefillWorkers) ?? num(s.prefillReplicas);
    const decodeWorkers = num(s.decodeWorkers) ?? num(s.decodeReplicas);
    const replicas =
      prefillWorkers !== undefined || decodeWorkers !== undefined
        ? (prefillWorkers ?? 0) + (decodeWorkers ?? 0)
        : (num(s.replicas) ??
          // Without --replicas, serve fills the chips with replicas of tp × pp chips (tp ≥ 1: an upper bound).
          Math.max(1, Math.floor((num(s.chips) ?? 1) / (num(s.tp) ?? 1) / (num(s.pp) ?? 1))));
    const replicaPath =
      num(s.replicas) !== undefined
        ? "replicas"
        : prefillWorkers !== undefined || decodeWorkers !== undefined
          ? num(s.decodeWorkers) !== undefined
            ? "decodeWorkers"
            : "decodeReplicas"
          : "chips";
    over(replicaPath, "replicas", replicas, budget.replicas);
    if (problems.length === before) {
      over(replicaPath, "simulated requests × replicas", simulated * replicas, budget.requestReplicas);
      const chunk = num(s.maxBatchedTokens) ?? 2048;
      const input = meanTokens(s.inputDist, num(s.inputTokens) ?? 1024);
      const output = meanTokens(s.outputDist, num(s.outputTokens) ?? 256);
      const steps = simulated * (Math.ceil(input / chunk) + output);
      over(
        s.inputDist !== undefined || s.outputDist !== undefined ? "outputDist" : "outputTokens",
        "simulated sequence-steps (requests × (⌈input ÷ maxBatchedTokens⌉ + output))",
        steps,
        budget.sequenceSteps,
      );
    }
  }

  // fleet / compare / search: the DES confirmation runs, once per chip compared.
  const hardware = typeof s.hardware === "string" ? s.hardware.split(",").length : 1;
  if (typeof s.hardware === "string" && hardware > 1) over("hardware", "chips compared", hardware, budget.hardwareList);
  const simRequests = num(s.simRequests);
  if (simRequests !== undefined) {
    const before = problems.length;
    over("simRequests", "DES requests per run × chips compared", simRequests * hardware, budget.fleetSimRequests);
    const perRequest = Math.ceil((num(s.inputTokens) ?? 1024) / 2048) + (num(s.outputTokens) ?? 256);
    if (problems.length === before)
      over(
        "simRequests",
        "DES sequence-steps per run (simRequests × (⌈input ÷ 2,048⌉ + output) × chips compared)",
        simRequests * perRequest * hardware,
        budget.fleetSequenceSteps,
      );
  }
  return problems;
}

/** Grid size against the sweep cap (computed without expanding the grid). */
export function gridProblems(grid: GridFile, budget: WorkBudget = CLI_BUDGET): Problem[] {
  const size = Object.values(grid.grid).reduce((n, values) => n * values.length, 1);
  return size <= budget.gridScenarios
    ? []
    : [
        {
          path: "grid",
          message: `the grid expands to ${fmt(size)} scenarios, over the cap of ${fmt(budget.gridScenarios)} per sweep`,
          hint: "split it into several grid files",
        },
      ];
}
