import type { ComputePrecision } from "../model/precision.ts";
import type { Bytes, BytesPerSecond, FlopPerSecond, Watts } from "../units/index.ts";

/** An accelerator in base units, as the perf models see it (the catalog's sourced records, resolved). */
export interface Accelerator {
  readonly id: string;
  readonly vendor: string;
  readonly name: string;
  /** Calibration family (chips in one family share efficiency priors). */
  readonly family: string;
  readonly memory: Bytes | null;
  readonly memoryBandwidth: BytesPerSecond | null;
  /** Dense peak matrix throughput per precision; `null` where the chip has no native support. */
  readonly peak: Readonly<Record<ComputePrecision, FlopPerSecond | null>>;
  /** Scale-up link bandwidth per chip, one direction. */
  readonly scaleUpBandwidth: BytesPerSecond | null;
  readonly scaleUpDomain: number | null;
  /** Scale-out network bandwidth per chip, one direction. */
  readonly scaleOutBandwidth: BytesPerSecond | null;
  readonly tdp: Watts | null;
}

/** Native precisions the chip lists a peak for. */
export const supportsPrecision = (chip: Accelerator, p: ComputePrecision): boolean => chip.peak[p] !== null;

/** Precision used when none is asked for: bf16 if native, else fp16 (CONTRACT.md conventions). */
export const defaultPrecision = (chip: Accelerator): "bf16" | "fp16" =>
  supportsPrecision(chip, "bf16") ? "bf16" : "fp16";

/**
 * PCIe Gen4 x16, one direction: 16 GT/s × 16 lanes × 128/130 ≈ 31.5 GB/s (PCI-SIG PCIe 4.0 base spec). Used as
 * the link between chips when the catalog states no scale-up or scale-out bandwidth (PCIe cards): an assumption.
 */
export const PCIE_GEN4_X16_BYTES_PER_S = 31.5e9 as BytesPerSecond;

/** Scale-up link bandwidth per chip, one direction, falling back to PCIe when the catalog has none. */
export const scaleUpBandwidthOf = (chip: Accelerator): BytesPerSecond =>
  chip.scaleUpBandwidth ?? PCIE_GEN4_X16_BYTES_PER_S;

/** Scale-out bandwidth per chip, one direction, falling back to the scale-up link, then PCIe. */
export const scaleOutBandwidthOf = (chip: Accelerator): BytesPerSecond =>
  chip.scaleOutBandwidth ?? chip.scaleUpBandwidth ?? PCIE_GEN4_X16_BYTES_PER_S;
