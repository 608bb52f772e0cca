/**
 * JSON views of catalog records for `flopcast hardware` and `flopcast model` (CONTRACT.md field names:
 * unit suffixes, plain numbers). Values come straight from the catalog; nothing is recomputed here except
 * the model math, which core does.
 */

import type { AcceleratorFile, ModelFile, Sourced, SourceRecord } from "@flopcast/catalog";
import { catalog, toAccelerator } from "@flopcast/catalog";
import {
  activeFfnWidth,
  COMPUTE_PRECISIONS,
  denseFfnLayerCount,
  forwardFlopsPerToken,
  kvBytesPerToken,
  kvBytesPerTokenAllLayers,
  moeLayerCount,
  paramBreakdown,
  toGigabytes,
  weightBytes,
} from "@flopcast/core";

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

const valueOrNull = (q: Sourced): number | null => q.value;
const unknownReason = (q: { value: number | null; reason?: string }): string | undefined =>
  q.value === null ? q.reason : undefined;

export function hardwareSummary(f: AcceleratorFile) {
  const bf16 = f.peak.bf16;
  return {
    id: f.id,
    vendor: f.vendor,
    name: f.name,
    family: f.family,
    year: f.year,
    memoryGb: valueOrNull(f.memory),
    memBandwidthTbPerS: valueOrNull(f.memoryBandwidth),
    peakBf16Tflops: bf16?.value ?? null,
    tdpW: valueOrNull(f.tdp),
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

export function hardwareView(f: AcceleratorFile) {
  const c = catalog();
  const peakTflops = Object.fromEntries(COMPUTE_PRECISIONS.map((p) => [p, f.peak[p]?.value ?? null]));
  const unknown: Record<string, string> = {};
  for (const p of COMPUTE_PRECISIONS) {
    const q = f.peak[p];
    const why = q ? unknownReason(q) : "not stated in the catalog";
    if (why) unknown[`peakTflops.${p}`] = why;
  }
  for (const [k, q] of Object.entries({
    memoryGb: f.memory,
    memBandwidthTbPerS: f.memoryBandwidth,
    scaleUpGbPerS: f.scaleUpBandwidth,
    tdpW: f.tdp,
  })) {
    const why = unknownReason(q);
    if (why) unknown[k] = why;
  }
  const chip = toAccelerator(f);
  return {
    id: f.id,
    aliases: f.aliases,
    vendor: f.vendor,
    name: f.name,
    family: f.family,
    year: f.year,
    memoryGb: chip.memory === null ? null : toGigabytes(chip.memory),
    memoryType: f.memoryType ?? null,
    memBandwidthTbPerS: valueOrNull(f.memoryBandwidth) === null ? null : (chip.memoryBandwidth ?? 0) / 1e12,
    peakTflops,
    peakUnit: "dense TFLOP/s (int8: TOP/s)",
    scaleUpGbPerS: valueOrNull(f.scaleUpBandwidth),
    scaleUpDomainChips: valueOrNull(f.scaleUpDomain),
    scaleOutGbitPerS: valueOrNull(f.scaleOutBandwidth),
    tdpW: valueOrNull(f.tdp),
    unknown,
    notes: f.notes ?? null,
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
