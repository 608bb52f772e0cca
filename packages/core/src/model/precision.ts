import { assertNever } from "../errors.ts";

/** Number formats for compute (peak throughput is stated per format) and for storage (weights, KV cache). */
export const COMPUTE_PRECISIONS = ["fp32", "tf32", "bf16", "fp16", "fp8", "int8", "fp4"] as const;
export type ComputePrecision = (typeof COMPUTE_PRECISIONS)[number];
export const STORAGE_PRECISIONS = ["fp32", "bf16", "fp16", "fp8", "int8", "int4", "fp4"] as const;
export type StoragePrecision = (typeof STORAGE_PRECISIONS)[number];

/** Bytes per stored element. */
export function bytesPerElement(p: StoragePrecision | ComputePrecision): number {
  switch (p) {
    case "fp32":
    case "tf32":
      return 4;
    case "bf16":
    case "fp16":
      return 2;
    case "fp8":
    case "int8":
      return 1;
    case "int4":
    case "fp4":
      return 0.5;
    default:
      return assertNever(p);
  }
}

/** The compute format a storage format runs its matmuls in when the chip supports it natively. */
export function computePrecisionFor(p: StoragePrecision): ComputePrecision {
  return p === "int4" ? "int8" : p;
}
