/**
 * JSON views of catalog records for `flopcast hardware` and `flopcast model` (CONTRACT.md field names:
 * unit suffixes, plain numbers). Values come straight from the catalog; nothing is recomputed here except
 * the model math, which core does.
 */

import type { AcceleratorFile, ModelFile, SourceRecord } from "@flopcast/catalog";
import { catalog, toAccelerator } from "@flopcast/catalog";
import {
  activeFfnWidth,
  COMPUTE_PRECISIONS,
  denseFfnLayerCount,
  forwardFlopsPerToken,
  kvBytesPerToken,
  kvBytesPerTokenAllLayers,
  MEGA,
  moeLayerCount,
  type Problem,
  paramBreakdown,
  toGigabytes,
  weightBytes,
} from "@flopcast/core";
import { DEFAULT_SCENARIO_DATE } from "./context.ts";
import { ownedChipHour, purchasePriceView, rentalPriceView } from "./cost-inputs.ts";
import { roundTo } from "./numbers.ts";

export interface SourceView {
  readonly field: string;
  readonly id: string;
  readonly title: string;
  readonly url?: string | undefined;
  readonly where?: string | undefined;
  readonly kind?: string | undefined;
}

function sourceViews(
  fields: Record<string, { source?: string | undefined; where?: string | undefined; kind?: string }>,
  sources: Record<string, SourceRecord>,
): SourceView[] {
  const out: SourceView[] = [];
  for (const [field, q] of Object.entries(fields)) {
    if (!q.source) continue;
    const s = sources[q.source];
    out.push({
      field,
      id: q.source,
      title: s?.title ?? "(missing from sources registry)",
      url: s?.url,
      where: q.where,
      kind: q.kind,
    });
  }
  return out;
}

const unknownReason = (q: { value: number | null; reason?: string }): string | undefined =>
  q.value === null ? q.reason : undefined;

/** Coded reasons for missing chip data (messages are for people; codes are for programs). */
export type MissingDataCode = "no-memory" | "no-memory-bandwidth" | "no-peak" | "no-tdp" | "sram-only";

/** On-chip SRAM as the only memory (Groq, Hanguang 800, Cerebras): a capability read from the record, not a vendor. */
const isSramOnly = (f: AcceleratorFile): boolean =>
  f.memory.value !== null && (f.memory.unit === "MB" || /sram/i.test(f.memoryType ?? ""));

/**
 * One resolved record per chip, units converted once: memory in GB (1e9 bytes, HBM/DRAM), on-chip SRAM in MB,
 * bandwidth in TB/s, peaks in dense TFLOP/s, TDP in W, and prices at `date` (docs/claims.md "Price method").
 * `hardware list` and `hardware show` (CLI, API, web) are both views of this record.
 */
export function resolvedHardware(f: AcceleratorFile, date = DEFAULT_SCENARIO_DATE) {
  const chip = toAccelerator(f);
  const sramOnly = isSramOnly(f);
  const peakTflops = Object.fromEntries(
    COMPUTE_PRECISIONS.map((p) => [p, chip.peak[p] === null ? null : roundTo(chip.peak[p] / 1e12, 6)]),
  ) as Record<(typeof COMPUTE_PRECISIONS)[number], number | null>;
  const unknown: Record<string, string> = {};
  for (const p of COMPUTE_PRECISIONS) {
    const q = f.peak[p];
    const why = q ? unknownReason(q) : "not stated in the catalog";
    if (why) unknown[`peakTflops.${p}`] = `no-peak: ${why}`;
  }
  if (sramOnly) unknown.memoryGb = "sram-only: on-chip SRAM only, no HBM/DRAM (see sramMb)";
  else if (f.memory.value === null) unknown.memoryGb = `no-memory: ${unknownReason(f.memory)}`;
  if (f.memoryBandwidth.value === null)
    unknown.memBandwidthTbPerS = `no-memory-bandwidth: ${unknownReason(f.memoryBandwidth)}`;
  if (f.scaleUpBandwidth.value === null) unknown.scaleUpGbPerS = unknownReason(f.scaleUpBandwidth) ?? "";
  if (f.tdp.value === null) unknown.tdpW = `no-tdp: ${unknownReason(f.tdp)}`;
  const purchase = purchasePriceView(f.id, date);
  const rental = rentalPriceView(f.id, date);
  const owned = purchase.capexUsdPerChip !== null ? ownedChipHour(chip, purchase.capexUsdPerChip, date, 1) : null;
  return {
    id: f.id,
    aliases: f.aliases,
    vendor: f.vendor,
    name: f.name,
    family: f.family,
    year: f.year,
    memoryGb: sramOnly || chip.memory === null ? null : roundTo(toGigabytes(chip.memory), 6),
    sramMb: sramOnly && chip.memory !== null ? roundTo(chip.memory / MEGA, 6) : null,
    memoryType: f.memoryType ?? null,
    memBandwidthTbPerS: chip.memoryBandwidth === null ? null : roundTo(chip.memoryBandwidth / 1e12, 6),
    peakTflops,
    peakUnit: "dense TFLOP/s (int8: TOP/s)",
    scaleUpGbPerS: chip.scaleUpBandwidth === null ? null : roundTo(chip.scaleUpBandwidth / 1e9, 6),
    scaleUpDomainChips: chip.scaleUpDomain,
    scaleOutGbitPerS: chip.scaleOutBandwidth === null ? null : roundTo((chip.scaleOutBandwidth * 8) / 1e9, 6),
    tdpW: chip.tdp,
    price: {
      /** The chip alone, USD (median of its dated records). */
      purchaseUsdPerChip: purchase.purchaseUsdPerChip,
      /** The chip with its share of the server and network (× 1.45), USD: the capex owned costs use. */
      capexUsdPerChip: purchase.capexUsdPerChip,
      purchase,
      rentalUsdPerChipHour: rental,
      /** Owned cost of one chip-day at full use (capex over the useful life + energy + hosting + maintenance). */
      ownedUsdPerDay: owned ? roundTo(owned.totalUsd * 24, 6) : null,
      ownedReason: owned
        ? undefined
        : purchase.capexUsdPerChip === null
          ? "no-purchase-price"
          : chip.tdp === null
            ? "no-tdp"
            : undefined,
    },
    unknown,
    notes: f.notes ?? null,
  };
}

/** `hardware list`: the same resolved record as `show`, without sources and price detail. */
export function hardwareSummary(f: AcceleratorFile, date = DEFAULT_SCENARIO_DATE) {
  const r = resolvedHardware(f, date);
  return {
    id: r.id,
    vendor: r.vendor,
    name: r.name,
    family: r.family,
    year: r.year,
    memoryGb: r.memoryGb,
    sramMb: r.sramMb,
    memBandwidthTbPerS: r.memBandwidthTbPerS,
    peakTflops: r.peakTflops,
    peakBf16Tflops: r.peakTflops.bf16,
    tdpW: r.tdpW,
    rentalUsdPerChipHour: r.price.rentalUsdPerChipHour.median,
    ownedUsdPerDay: r.price.ownedUsdPerDay,
  };
}

/**
 * The catalog sources behind an estimate: the chip's peak at the precision in use, its memory, HBM bandwidth and
 * links, and the model's architecture (the "sources" of every --explain).
 */
export function estimateSources(
  model: ModelSubject,
  hardware: AcceleratorFile | undefined,
  precision: string,
): SourceView[] {
  const c = catalog();
  const fields: Record<string, { source?: string | undefined; where?: string | undefined; kind?: string }> = {
    "model architecture": { source: model.source, where: model.where, kind: "spec" },
  };
  if (hardware) {
    fields[`${hardware.id} peak ${precision}`] = hardware.peak[precision as keyof typeof hardware.peak] ?? {};
    fields[`${hardware.id} memory`] = hardware.memory;
    fields[`${hardware.id} memory bandwidth`] = hardware.memoryBandwidth;
    fields[`${hardware.id} scale-up link`] = hardware.scaleUpBandwidth;
    fields[`${hardware.id} scale-out network`] = hardware.scaleOutBandwidth;
  }
  return sourceViews(fields, c.sources);
}

/** `hardware show`: the resolved record with every value's source. */
export function hardwareView(f: AcceleratorFile, date = DEFAULT_SCENARIO_DATE) {
  const c = catalog();
  return {
    ...resolvedHardware(f, date),
    sources: sourceViews(
      {
        memoryGb: f.memory,
        memBandwidthTbPerS: f.memoryBandwidth,
        ...Object.fromEntries(COMPUTE_PRECISIONS.map((p) => [`peakTflops.${p}`, f.peak[p] ?? {}])),
        scaleUpGbPerS: f.scaleUpBandwidth,
        scaleUpDomainChips: f.scaleUpDomain,
        scaleOutGbitPerS: f.scaleOutBandwidth,
        tdpW: f.tdp,
      },
      c.sources,
    ),
  };
}

/**
 * Chip data an estimate needs but the catalog lacks, as problems with a coded message (never a 0 or an Infinity
 * inside an estimator): memory and HBM bandwidth always, the dense peak of the precision in use.
 */
export function missingChipData(f: AcceleratorFile, precision?: string): Problem[] {
  const out: Problem[] = [];
  const hint = "pick another chip, or add a sourced value to the catalog (docs/catalog.md)";
  if (f.memory.value === null)
    out.push({
      path: "hardware",
      message: `no-memory: ${f.id} has no memory size in the catalog (${f.memory.reason})`,
      hint,
    });
  if (f.memoryBandwidth.value === null)
    out.push({
      path: "hardware",
      message: `no-memory-bandwidth: ${f.id} has no memory bandwidth in the catalog (${f.memoryBandwidth.reason})`,
      hint,
    });
  const peak = precision ? f.peak[precision as keyof typeof f.peak] : undefined;
  if (precision && (!peak || peak.value === null))
    out.push({ path: "precision", message: `no-peak: ${f.id} has no dense ${precision} peak in the catalog`, hint });
  return out;
}

/** What `model show` describes: a catalog model, or an architecture imported from a config.json. */
export type ModelSubject = Pick<ModelFile, "id" | "name" | "family" | "architecture"> &
  Partial<Pick<ModelFile, "published" | "source" | "where">>;

export function modelView(f: ModelSubject, context = f.architecture.maxContext) {
  const a = f.architecture;
  const p = paramBreakdown(a);
  const c = catalog();
  return {
    id: f.id,
    name: f.name,
    family: f.family,
    paramsTotal: p.total,
    paramsActive: p.active,
    paramsPublishedTotal: f.published?.paramsTotal.value ?? null,
    paramsPublishedActive: f.published?.paramsActive.value ?? null,
    layers: a.layers,
    hidden: a.hidden,
    heads: a.heads,
    kvHeads: a.kvHeads,
    headDim: a.headDim,
    ffn: a.ffn,
    vocab: a.vocab,
    maxContextTokens: a.maxContext,
    attention: a.mla ? "mla" : a.kvHeads === 1 ? "mqa" : a.kvHeads < a.heads ? "gqa" : "mha",
    moe: a.moe
      ? { ...a.moe, moeLayers: moeLayerCount(a), denseLayers: denseFfnLayerCount(a), activeFfnWidth: activeFfnWidth(a) }
      : null,
    /** Sliding-window / chunked attention: window in tokens and how many layers use it (null: every layer global). */
    localAttention: a.window ?? null,
    attentionSinks: a.attentionSinks ?? false,
    contextTokens: context,
    flopsPerTokenForward: forwardFlopsPerToken(a, context),
    // Average over a sequence at the model's max context (local layers hold at most their window: docs/model.md §1.5).
    kvBytesPerTokenBf16: kvBytesPerToken(a, "bf16"),
    /** KV bytes per token if every layer kept every token (the cost per token of a short sequence). */
    kvBytesPerTokenBf16AllLayers: kvBytesPerTokenAllLayers(a, "bf16"),
    weightGbBf16: toGigabytes(weightBytes(a, "bf16")),
    breakdown: p,
    sources: sourceViews(
      {
        architecture: { source: f.source, where: f.where, kind: "spec" },
        paramsPublishedTotal: f.published?.paramsTotal ?? {},
      },
      c.sources,
    ),
  };
}
