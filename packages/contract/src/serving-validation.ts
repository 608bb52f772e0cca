/**
 * `validate --serving FILE.csv`: measured serving operating points (the schema of
 * reference/serving-measured.csv, SemiAnalysis InferenceX) → one closed-loop `serve` scenario per row → the
 * simulated metrics beside the measured ones (docs/validation.md, serving section). Rows the simulator cannot
 * express are reported with a reason, never dropped. The CLI parses the CSV and spreads rows over workers;
 * everything here is pure.
 */
import { findAccelerator, findModel, servingCalibrationData } from "@flopcast/catalog";
import { engineProfile, plannedServingTp } from "@flopcast/core";
import { z } from "zod";
import { type ServeScenario, ServeScenario as ServeScenarioSchema } from "./scenario.ts";
import { runServe, setupServe } from "./serve-plan.ts";
import { errorRatio, medianOf } from "./validation.ts";

/** Columns of reference/serving-measured.csv, in order. */
export const SERVING_CSV_COLUMNS = [
  "id",
  "model",
  "hf_model_id",
  "hardware",
  "chips",
  "framework",
  "framework_version",
  "precision",
  "tp",
  "ep",
  "dp_attention",
  "disagg",
  "spec_decoding",
  "prefill_workers",
  "prefill_tp",
  "prefill_ep",
  "prefill_dp_attention",
  "decode_workers",
  "decode_tp",
  "decode_ep",
  "decode_dp_attention",
  "isl",
  "osl",
  "concurrency",
  "throughput_per_gpu_tok_s",
  "output_tok_s_per_user",
  "ttft_ms_p50",
  "ttft_ms_p99",
  "tpot_ms_p50",
  "tpot_ms_p99",
  "e2e_ms_p50",
  "date",
  "source",
  "notes",
] as const;

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const optNumber = z.preprocess(blankToUndefined, z.coerce.number().finite().optional());
const optBool = z.preprocess(
  blankToUndefined,
  z
    .enum(["True", "False", "true", "false"])
    .transform((x) => x.toLowerCase() === "true")
    .optional(),
);
const count = z.coerce.number().int().positive();

/** One row of a serving-measured CSV, typed (blank cells → undefined). */
export const ServingRow = z.object({
  id: z.string().min(1),
  model: z.string().min(1),
  hf_model_id: z.string(),
  hardware: z.string().min(1),
  chips: optNumber,
  framework: z.string().min(1),
  framework_version: z.string(),
  precision: z.string().min(1),
  tp: optNumber,
  ep: optNumber,
  dp_attention: optBool,
  disagg: optBool,
  spec_decoding: z.preprocess(blankToUndefined, z.enum(["mtp", "none"]).optional()),
  prefill_workers: optNumber,
  prefill_tp: optNumber,
  prefill_ep: optNumber,
  prefill_dp_attention: optBool,
  decode_workers: optNumber,
  decode_tp: optNumber,
  decode_ep: optNumber,
  decode_dp_attention: optBool,
  isl: count,
  osl: count,
  concurrency: count,
  throughput_per_gpu_tok_s: optNumber,
  output_tok_s_per_user: optNumber,
  ttft_ms_p50: optNumber,
  ttft_ms_p99: optNumber,
  tpot_ms_p50: optNumber,
  tpot_ms_p99: optNumber,
  e2e_ms_p50: optNumber,
  date: z.string(),
  source: z.string(),
  notes: z.string(),
});
export type ServingRow = z.infer<typeof ServingRow>;

/**
 * Catalog ids for the benchmark's model names, first match wins. DeepSeek-R1(-0528) is the DeepSeek-V3
 * architecture (same config.json apart from weights); Llama-3.3-70B is the Llama-3.1-70B architecture; Kimi-K2.5
 * is Kimi-K2's text architecture (the K2.5 release adds a vision encoder the benchmark's text prompts do not use).
 */
export const SERVING_MODEL_IDS: Readonly<Record<string, readonly string[]>> = {
  "DeepSeek-R1-0528": ["deepseek-r1", "deepseek-v3"],
  "Llama-3.3-70B-Instruct": ["llama-3.3-70b", "llama-3.1-70b"],
  "gpt-oss-120b": ["gpt-oss-120b"],
  "Kimi-K2.5": ["kimi-k2.5", "kimi-k2"],
  "Kimi-K2.5/K2.6": ["kimi-k2.5", "kimi-k2"],
  "GLM-5": ["glm-5"],
  "MiniMax-M2.5": ["minimax-m2.5"],
  "MiniMax-M3": ["minimax-m3"],
  "Qwen3.5-397B-A17B": ["qwen3.5-397b-a17b"],
  "DeepSeek-V4-Pro": ["deepseek-v4-pro"],
};

/**
 * Models of the benchmark the catalog does not hold, and why (each skip reason says exactly this). Searched:
 * Hugging Face config.json mirrors on GitHub (code search, 2026-11-29).
 */
export const SERVING_MODEL_GAPS: Readonly<Record<string, string>> = {
  "MiniMax-M3":
    "config.json not sourced: no copy of MiniMaxAI/MiniMax-M3's config.json was found in the searched GitHub mirrors",
  "Qwen3.5-397B-A17B":
    "architecture not expressible: Qwen3.5 mixes Gated DeltaNet linear attention (3 of every 4 layers) with full attention, and the model schema has no linear-attention layers",
  "DeepSeek-V4-Pro":
    "config.json not sourced: no copy of deepseek-ai/DeepSeek-V4-Pro's config.json was found in the searched GitHub mirrors",
};

export const SERVING_HARDWARE_IDS: Readonly<Record<string, string>> = {
  H100: "h100-sxm",
  H200: "h200-sxm",
  B200: "b200",
  B300: "b300",
  GB200: "gb200",
  GB300: "gb300",
  MI300X: "mi300x",
  MI325X: "mi325x",
  MI355X: "mi355x",
  TPUv7: "tpu7x",
};

export type ServingMetric = "throughputPerChip" | "outputTokensPerSPerUser" | "ttftMsP50" | "tpotMsP50";
export const SERVING_METRICS: readonly ServingMetric[] = [
  "throughputPerChip",
  "outputTokensPerSPerUser",
  "ttftMsP50",
  "tpotMsP50",
];

/**
 * Models the catalog holds only approximately: their rows are simulated and shown, not fitted (an engine
 * constant fitted on them would absorb the missing mechanism).
 */
export const APPROXIMATED_MODELS: Readonly<Record<string, string>> = {
  "GLM-5":
    "architecture approximated: GLM-5's DeepSeek Sparse Attention (lightning indexer + top-2048 selection) is simulated as dense MLA",
};

/** Why a row is shown but not fitted (serving-measured.md §4, approximated models, planned layouts), or undefined for a dev row. */
export function notFittedReason(row: ServingRow): string | undefined {
  if (/suspect/i.test(row.notes) || row.id === "ix-dsr1-mi355x-atom-fp8-mtp-agg-tp8ep1-1024-1024-c512")
    return "flagged suspect in serving-measured.md";
  if (row.notes.includes("CHECK:"))
    return "client-queue-bound: server batch cap below the client concurrency (CHECK: in notes)";
  const approximated = APPROXIMATED_MODELS[row.model];
  if (approximated) return approximated;
  if (row.tp === undefined && row.chips === undefined)
    return "layout planned by flopcast: the row publishes none, and as the highest-throughput configuration per GPU (SEO summary) it is selected on the measured outcome";
  if (!FITTED_MODELS.includes(row.model)) return HELD_OUT_MODEL;
  return undefined;
}

/**
 * The models whose dev rows fit the engine constants: DeepSeek-R1 (398 of the 550 rows, every engine, chip and
 * mode). The other models' rows are held out whole and test the constants out of sample (`summary.heldOutModels`).
 */
export const FITTED_MODELS: readonly string[] = ["DeepSeek-R1-0528"];
export const HELD_OUT_MODEL =
  "held-out model: the engine constants are fitted on the DeepSeek-R1 rows, so this row tests them out of sample";

export type ServingMode = "aggregated" | "disaggregated";
/** "published": the row gives the layout; "planned": flopcast chose it (plannedServingTp), the row gives none. */
export type LayoutOrigin = "published" | "planned";

function plannedRowTp(row: ServingRow, modelId: string, hardwareId: string) {
  const model = findModel(modelId);
  const hardware = findAccelerator(hardwareId);
  if (!model.ok || !hardware.ok) return { ok: false as const, reason: "catalog lookup failed" };
  return plannedServingTp(
    (tp) => {
      const scenario = ServeScenarioSchema.safeParse({
        model: modelId,
        hardware: hardwareId,
        precision: row.precision,
        chips: tp,
        tp,
        ep: 1,
        concurrency: row.concurrency,
        inputTokens: row.isl,
        outputTokens: row.osl,
        engine: row.framework,
        requests: 1,
        warmupRequests: 0,
      });
      if (!scenario.success) return { weights: false, kvCapacityTokens: 0 };
      const setup = setupServe(scenario.data, model.value, hardware.value, {});
      return setup.ok
        ? { weights: true, kvCapacityTokens: setup.setup.cluster.replica.cost.kvCapacityTokens }
        : { weights: false, kvCapacityTokens: 0 };
    },
    row.concurrency * (row.isl + row.osl),
  );
}
export interface ExpressedRow {
  /** The row as published (a planned layout is in `scenario`, not here). */
  readonly row: ServingRow;
  readonly scenario: ServeScenario;
  readonly modelId: string;
  readonly hardwareId: string;
  readonly engine: string;
  readonly mode: ServingMode;
  readonly mtp: boolean;
  readonly layout: LayoutOrigin;
  readonly notes: readonly string[];
}

/** The closed-loop `serve` scenario that reproduces a row, or why none can. */
export function expressServingRow(
  published: ServingRow,
): { ok: true; value: ExpressedRow } | { ok: false; reason: string } {
  let row = published;
  const notes: string[] = [];
  const hardwareId = SERVING_HARDWARE_IDS[row.hardware];
  if (!hardwareId || !findAccelerator(hardwareId).ok)
    return { ok: false, reason: `hardware ${row.hardware} is not in the catalog` };
  if (row.hardware === "TPUv7")
    return {
      ok: false,
      reason: "TPUv7 preview fixture: tp counts TensorCores and chips is unverified (serving-measured.md caveat 8)",
    };
  const candidates = SERVING_MODEL_IDS[row.model] ?? [];
  const modelId = candidates.find((m) => findModel(m).ok);
  if (!modelId) {
    const gap = SERVING_MODEL_GAPS[row.model];
    return {
      ok: false,
      reason: `model ${row.model}: ${gap ?? `architecture not in the catalog${candidates.length ? ` (looked for ${candidates.join(", ")})` : ""}`}`,
    };
  }
  if (modelId !== candidates[0]) notes.push(`${row.model} simulated with the ${modelId} architecture`);
  if (!["fp8", "fp4", "bf16", "int4"].includes(row.precision))
    return { ok: false, reason: `precision ${row.precision} not modelled` };
  let layout: LayoutOrigin = "published";
  if (row.chips === undefined && row.tp === undefined && row.disagg === undefined) {
    // SEO summary rows publish no layout: flopcast chooses the one the engine would run (plannedServingTp).
    const planned = plannedRowTp(row, modelId, hardwareId);
    if (!planned.ok) return { ok: false, reason: `layout not published and none planned: ${planned.reason}` };
    row = { ...row, chips: planned.tp, tp: planned.tp, ep: 1, dp_attention: false, disagg: false };
    layout = "planned";
    notes.push(`layout chosen by flopcast, not published: ${planned.basis}`);
  }
  if (row.disagg && (row.tp === undefined || row.prefill_workers === undefined))
    return {
      ok: false,
      reason:
        "disaggregated row without the per-role layout (the blog table gives the GPU count and decode TP/EP only)",
    };
  if (row.chips === undefined || row.tp === undefined || row.disagg === undefined)
    return { ok: false, reason: "layout not published (tp, chips or disagg blank)" };
  const engine = engineProfile(row.framework);
  if (engine.warning) notes.push(engine.warning.message);
  const lengths = (n: number) => `uniform:${Math.round(0.8 * n)}:${n}`;
  const mtp = row.spec_decoding === "mtp";
  const base = {
    model: modelId,
    hardware: hardwareId,
    precision: row.precision,
    concurrency: row.concurrency,
    inputDist: lengths(row.isl),
    outputDist: lengths(row.osl),
    inputTokens: row.isl,
    outputTokens: row.osl,
    engine: row.framework,
    specMtp: mtp,
    seed: 1,
  };
  let raw: Record<string, unknown>;
  if (row.disagg) {
    const need = [row.prefill_workers, row.prefill_tp, row.decode_workers, row.decode_tp];
    if (need.some((x) => x === undefined))
      return { ok: false, reason: "disaggregated row without the per-role layout (prefill/decode workers and tp)" };
    raw = {
      ...base,
      chips: row.chips,
      prefillWorkers: row.prefill_workers,
      prefillTp: row.prefill_tp,
      prefillEp: row.prefill_ep,
      prefillDpAttention: row.prefill_dp_attention ?? false,
      decodeWorkers: row.decode_workers,
      decodeTp: row.decode_tp,
      decodeEp: row.decode_ep,
      decodeDpAttention: row.decode_dp_attention ?? false,
    };
    const chips = (row.prefill_workers ?? 0) * (row.prefill_tp ?? 0) + (row.decode_workers ?? 0) * (row.decode_tp ?? 0);
    if (chips !== row.chips)
      return { ok: false, reason: `per-role layout gives ${chips} chips, the row says ${row.chips}` };
  } else {
    raw = { ...base, chips: row.tp, tp: row.tp, ep: row.ep, dpAttention: row.dp_attention ?? false };
  }
  const parsed = ServeScenarioSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `not a valid serve scenario: ${parsed.error.issues[0]?.message}` };
  return {
    ok: true,
    value: {
      row: published,
      scenario: parsed.data,
      modelId,
      hardwareId,
      engine: engine.profile.id,
      mode: row.disagg ? "disaggregated" : "aggregated",
      mtp,
      layout,
      notes,
    },
  };
}

export type ServingPrediction = Readonly<Record<ServingMetric, number>>;

/** Simulates an expressed row; `iterationOverheadS` replaces the engine profile's fitted overhead (calibration, LOCO). */
export function predictServingRow(
  e: ExpressedRow,
  params: {
    iterationOverheadS?: number | undefined;
    mtpAcceptance?: number | undefined;
    requestLatencyS?: number | undefined;
  } = {},
): { ok: true; prediction: ServingPrediction; warnings: readonly string[] } | { ok: false; reason: string } {
  const model = findModel(e.modelId);
  const hardware = findAccelerator(e.hardwareId);
  if (!model.ok || !hardware.ok) return { ok: false, reason: "catalog lookup failed" };
  const setup = setupServe(e.scenario, model.value, hardware.value, params);
  if (!setup.ok) return { ok: false, reason: setup.problems.map((p) => `${p.path}: ${p.message}`).join("; ") };
  const r = runServe(e.scenario, setup.setup).result;
  return {
    ok: true,
    prediction: {
      throughputPerChip: r.throughputTokensPerSPerChip ?? Number.NaN,
      outputTokensPerSPerUser: r.outputTokensPerSPerUser ?? Number.NaN,
      ttftMsP50: r.ttftMs.p50 ?? Number.NaN,
      tpotMsP50: r.tpotMs.p50 ?? Number.NaN,
    },
    warnings: r.warnings.map((w) => w.message),
  };
}

const expectedOf = (row: ServingRow, m: ServingMetric): number | undefined =>
  m === "throughputPerChip"
    ? row.throughput_per_gpu_tok_s
    : m === "outputTokensPerSPerUser"
      ? row.output_tok_s_per_user
      : m === "ttftMsP50"
        ? row.ttft_ms_p50
        : row.tpot_ms_p50;

export interface ServingCase {
  readonly id: string;
  readonly metric: ServingMetric;
  readonly hardware: string;
  readonly engine: string;
  readonly mode: ServingMode;
  readonly mtp: boolean;
  readonly model: string;
  /** "planned" when the row publishes no layout and flopcast chose it (the note says which and why). */
  readonly layout: LayoutOrigin;
  readonly concurrency: number;
  readonly expected: number;
  readonly predicted: number;
  readonly errorRatio: number;
  /** Prediction with the engine constants fitted without this row's chip (leave-one-chip-out). */
  readonly predictedLoco: number;
  readonly errorRatioLoco: number;
  /** Used to fit the engine constants (false: flagged in serving-measured.md, shown only). */
  readonly fitted: boolean;
  readonly note?: string | undefined;
}

export interface ServingRowOutcome {
  readonly id: string;
  readonly expressed?: ExpressedRow | undefined;
  readonly prediction?: ServingPrediction | undefined;
  readonly predictionLoco?: ServingPrediction | undefined;
  readonly skipped?: string | undefined;
}

export function servingCases(outcomes: readonly ServingRowOutcome[]): ServingCase[] {
  const cases: ServingCase[] = [];
  for (const o of outcomes) {
    const e = o.expressed;
    if (!e || !o.prediction) continue;
    const reason = notFittedReason(e.row);
    for (const metric of SERVING_METRICS) {
      const expected = expectedOf(e.row, metric);
      const predicted = o.prediction[metric];
      if (expected === undefined || !(expected > 0) || !Number.isFinite(predicted)) continue;
      const loco = o.predictionLoco?.[metric] ?? predicted;
      cases.push({
        id: e.row.id,
        metric,
        hardware: e.hardwareId,
        engine: e.engine,
        mode: e.mode,
        mtp: e.mtp,
        model: e.modelId,
        layout: e.layout,
        concurrency: e.row.concurrency,
        expected,
        predicted,
        errorRatio: errorRatio(predicted, expected),
        predictedLoco: loco,
        errorRatioLoco: errorRatio(loco, expected),
        fitted: reason === undefined,
        ...(reason || e.notes.length ? { note: [reason, ...e.notes].filter(Boolean).join("; ") } : {}),
      });
    }
  }
  return cases;
}

export interface ServingGroup {
  readonly key: string;
  readonly metric: ServingMetric;
  readonly cases: number;
  readonly medianAbsError: number;
  readonly medianAbsErrorLoco: number;
  readonly medianErrorRatio: number;
}

function groups(cases: readonly ServingCase[], keyOf: (c: ServingCase) => string): ServingGroup[] {
  const by = new Map<string, ServingCase[]>();
  for (const c of cases) {
    const k = `${keyOf(c)}\u0000${c.metric}`;
    by.set(k, [...(by.get(k) ?? []), c]);
  }
  return [...by.entries()]
    .map(([k, cs]) => ({
      key: k.split("\u0000")[0] as string,
      metric: (cs[0] as ServingCase).metric,
      cases: cs.length,
      medianAbsError: medianOf(cs.map((c) => Math.abs(c.errorRatio))),
      medianAbsErrorLoco: medianOf(cs.map((c) => Math.abs(c.errorRatioLoco))),
      medianErrorRatio: medianOf(cs.map((c) => c.errorRatio)),
    }))
    .sort(
      (a, b) => a.key.localeCompare(b.key) || SERVING_METRICS.indexOf(a.metric) - SERVING_METRICS.indexOf(b.metric),
    );
}

export function summarizeServing(outcomes: readonly ServingRowOutcome[], cases: readonly ServingCase[]) {
  const fitted = cases.filter((c) => c.fitted);
  const skipped = outcomes
    .filter((o) => o.skipped !== undefined)
    .map((o) => ({ id: o.id, reason: o.skipped as string }));
  const skippedByReason = new Map<string, number>();
  for (const s of skipped) {
    const reason = s.reason.replace(/^model [^:]+:/, "model:");
    skippedByReason.set(reason, (skippedByReason.get(reason) ?? 0) + 1);
  }
  const perMetric = Object.fromEntries(
    SERVING_METRICS.map((m) => {
      const cs = fitted.filter((c) => c.metric === m);
      return [
        m,
        {
          cases: cs.length,
          medianAbsError: medianOf(cs.map((c) => Math.abs(c.errorRatio))),
          medianAbsErrorLoco: medianOf(cs.map((c) => Math.abs(c.errorRatioLoco))),
          medianErrorRatio: medianOf(cs.map((c) => c.errorRatio)),
        },
      ];
    }),
  ) as Record<
    ServingMetric,
    { cases: number; medianAbsError: number; medianAbsErrorLoco: number; medianErrorRatio: number }
  >;
  const heldOut = cases.filter((c) => c.note?.startsWith(HELD_OUT_MODEL));
  const heldOutModels = Object.fromEntries(
    (["throughputPerChip", "outputTokensPerSPerUser"] as const).map((m) => {
      const cs = heldOut.filter((c) => c.metric === m);
      return [m, { cases: cs.length, medianAbsError: medianOf(cs.map((c) => Math.abs(c.errorRatio))) }];
    }),
  );
  return {
    rows: outcomes.length,
    expressed: outcomes.filter((o) => o.prediction !== undefined).length,
    /** Rows of models other than FITTED_MODELS (never in the fit): median |error| per metric. */
    heldOutModels,
    skipped,
    skippedByReason: Object.fromEntries([...skippedByReason.entries()].sort((a, b) => b[1] - a[1])),
    cases: cases.length,
    fittedCases: fitted.length,
    byMetric: perMetric,
    byHardware: groups(fitted, (c) => c.hardware),
    byEngine: groups(fitted, (c) => c.engine),
    byMode: groups(fitted, (c) => (c.mtp ? `${c.mode}+mtp` : c.mode)),
    notFitted: cases
      .filter((c) => !c.fitted)
      .map((c) => ({ id: c.id, metric: c.metric, errorRatio: c.errorRatio, note: c.note })),
  };
}

/**
 * One CSV record → its outcome: skipped with a reason, or simulated with the engine constants fitted on all dev
 * rows (in-sample) and with those fitted without the row's chip (leave-one-chip-out, when they differ).
 */
export function evaluateServingRecord(record: Readonly<Record<string, string>>): ServingRowOutcome {
  const parsed = ServingRow.safeParse(record);
  const id = record.id ?? "";
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { id, skipped: `malformed row: ${issue?.path.join(".")}: ${issue?.message}` };
  }
  const e = expressServingRow(parsed.data);
  if (!e.ok) return { id, skipped: e.reason };
  const p = predictServingRow(e.value);
  if (!p.ok) return { id, skipped: `cannot simulate: ${p.reason}` };
  const cal = servingCalibrationData();
  const held = cal.leaveOneChipOut[e.value.hardwareId];
  const overhead = held?.[e.value.engine];
  const alpha = e.value.mtp ? held?.mtpAcceptance : undefined;
  const latency = held?.[`requestLatencyS:${e.value.engine}`];
  const differs =
    (overhead !== undefined && overhead !== cal.engines[e.value.engine]?.iterationOverheadS) ||
    (alpha !== undefined && alpha !== cal.mtpAcceptance?.value) ||
    (latency !== undefined && latency !== cal.engines[e.value.engine]?.requestLatencyS);
  const pl = differs
    ? predictServingRow(e.value, { iterationOverheadS: overhead, mtpAcceptance: alpha, requestLatencyS: latency })
    : undefined;
  return {
    id,
    expressed: e.value,
    prediction: p.prediction,
    predictionLoco: pl?.ok ? pl.prediction : p.prediction,
  };
}

/** Header problems of a serving CSV (missing columns), as CONTRACT problems. */
export function servingCsvHeaderProblems(
  columns: readonly string[],
): { path: string; message: string; hint?: string }[] {
  const missing = SERVING_CSV_COLUMNS.filter((c) => !columns.includes(c));
  return missing.length
    ? [
        {
          path: "serving",
          message: `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`,
          hint: "the file must have the columns of reference/serving-measured.csv",
        },
      ]
    : [];
}

/** The ledger of a set of outcomes (in file order): cases + summary, as `validate --serving --json` prints it. */
export function servingLedger(outcomes: readonly ServingRowOutcome[]) {
  const cases = servingCases(outcomes);
  return { cases, summary: summarizeServing(outcomes, cases) };
}
