import type { Accelerator } from "../hardware/accelerator.ts";
import type { ComputePrecision } from "../model/precision.ts";
import { type Seconds, seconds } from "../units/index.ts";

/**
 * The per-op roofline shared by the training and inference estimators (ARCHITECTURE §2 "Ops, not one
 * efficiency"; docs/model.md §1). An op takes max(FLOPs ÷ (peak · η), bytes ÷ (HBM bw · η_mem)); a step is the
 * *sum* of its ops plus exposed communication, never one max over the whole step (Williams et al. 2009,
 * "Roofline"; per-op form as in Calculon, Isaev et al. SC'23 §3).
 */

/** One matmul [M×K]·[K×N]: M rows (tokens), N output columns, K the reduction dimension. */
export interface GemmShape {
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/**
 * Physical fractions of one chip generation: the few numbers calibration fits (ARCHITECTURE §2 "Calibration").
 * Each is a fraction of a datasheet figure, so a fitted value above 1 names a missing mechanism.
 */
export interface PhysicalFractions {
  /** Fraction of the dense peak that a large, well-shaped matmul reaches (the asymptote of η_gemm). */
  readonly matmulPeakFraction: number;
  /**
   * Fraction of the dense FP8 (or FP4) peak that a large matmul reaches, when it differs from the 16-bit one
   * (per-tensor scaling and casts cost a share; Transformer Engine FP8 GEMMs). Absent: `matmulPeakFraction`.
   */
  readonly lowPrecisionMatmulPeakFraction?: number | undefined;
  /** Fraction of the dense peak that fused attention (FlashAttention) reaches at long sequence. */
  readonly attentionPeakFraction: number;
  /** Fraction of HBM bandwidth that a streaming kernel (norms, activations, weight/KV reads) reaches. */
  readonly hbmFraction: number;
  /** Achieved collective bus bandwidth ÷ nominal link bandwidth for large messages (nccl-tests "busbw"). */
  readonly busBandwidthFraction: number;
  /**
   * Matmul dimensions at which η_gemm falls to half its asymptote along M, N and K: tile and wave
   * quantisation of the kernel (a 128×128 output tile on 132 SMs wastes most of a wave at small M or N).
   */
  readonly gemmHalfDim: GemmShape;
  /** Where the values come from: "calibrated on …" or "prior: …". */
  readonly basis: string;
}

/**
 * Generation-independent prior, used where a chip generation has no calibration rows. Values are ours,
 * labelled as assumptions, each anchored on a published measurement:
 * - matmul 0.75: large bf16 GEMMs reach ≈ 700–750 of 989 TFLOP/s on H100 SXM (NVIDIA cuBLAS 12 GEMM
 *   benchmarks; Calculon's H100 matmul efficiency table tops out near 0.75–0.8);
 * - attention 0.6: FlashAttention-2 reaches 50–73% of A100 peak (Dao 2023, §4.1), FlashAttention-3 up to 75%
 *   of H100 bf16 peak (Shah et al. 2024, §4.1);
 * - HBM 0.85: STREAM-like kernels reach ≈ 2.8–3.0 of 3.35 TB/s on H100 SXM (Chips and Cheese H100 review);
 * - bus 0.75: nccl-tests all-reduce busbw ≈ 70–80% of nominal NVLink/IB bandwidth at large messages;
 * - half-dimensions 64/96/64: η halves at M ≈ 64 rows (one 64-row tile on a 132-SM wave), N ≈ 96 columns
 *   (the GEMM-width fall-off fitted in the v1 training model), K ≈ 64 (one k-tile, pipeline fill dominates).
 */
export const PRIOR_PHYSICAL_FRACTIONS: PhysicalFractions = {
  matmulPeakFraction: 0.75,
  attentionPeakFraction: 0.6,
  hbmFraction: 0.85,
  busBandwidthFraction: 0.75,
  gemmHalfDim: { m: 64, n: 96, k: 64 },
  basis: "prior (docs/model.md §1: cuBLAS GEMM, FlashAttention-2/3, STREAM and nccl-tests measurements)",
};

/** Saturating fall-off x/(x + h): 1/2 at x = h, → 1 for x ≫ h; smooth and monotone in x. */
const saturation = (x: number, half: number): number => (x <= 0 ? 0 : x / (x + half));

/**
 * Shape-dependent matmul efficiency η_gemm(M,N,K) = peak fraction · s(M) · s(N) · s(K), with
 * s(x) = x/(x + h_x) (a smooth stand-in for tile/wave quantisation; Calculon §3.2 uses a measured table with
 * the same limits: small M (decode) and narrow N (under TP) fall off, large shapes reach the peak fraction).
 */
export function gemmEfficiency(shape: GemmShape, f: PhysicalFractions, precision?: ComputePrecision): number {
  const h = f.gemmHalfDim;
  return (
    matmulPeakFractionFor(f, precision) * saturation(shape.m, h.m) * saturation(shape.n, h.n) * saturation(shape.k, h.k)
  );
}

/** The asymptote of η_gemm at a precision: the FP8/FP4/INT8 fraction where one is given, else the 16-bit one. */
export function matmulPeakFractionFor(f: PhysicalFractions, precision?: ComputePrecision): number {
  const low = precision === "fp8" || precision === "fp4" || precision === "int8";
  return low ? (f.lowPrecisionMatmulPeakFraction ?? f.matmulPeakFraction) : f.matmulPeakFraction;
}

/** 2·M·N·K: FLOPs of one matmul (a multiply and an add per MAC). */
export const gemmFlops = (s: GemmShape): number => 2 * s.m * s.n * s.k;

/** What an op does to the chip: a matmul, fused attention, or a memory-bound elementwise/reduction kernel. */
export type OpKind = "gemm" | "attention" | "memory";

/** One op of a step (per chip): FLOPs, bytes moved through HBM, and the precision its math runs in. */
export interface Op {
  readonly name: string;
  readonly kind: OpKind;
  readonly flops: number;
  readonly bytes: number;
  /** Precision of the math (FP8/FP4 apply only to the matmuls that run in them; attention and norms stay 16-bit). */
  readonly precision: ComputePrecision;
  /** Matmul shape, required for `gemm` ops (η_gemm depends on it). */
  readonly shape?: GemmShape | undefined;
  /** How many times the op runs per step (layers, micro-batches); the times below are for all of them. */
  readonly count?: number | undefined;
}

export interface OpTime {
  readonly name: string;
  readonly kind: OpKind;
  /** FLOPs ÷ (peak · η): the op's time if it were compute-bound (all repetitions). */
  readonly computeS: Seconds;
  /** Bytes ÷ (HBM bandwidth · η_mem): the op's time if it were bandwidth-bound (all repetitions). */
  readonly memoryS: Seconds;
  /** max(computeS, memoryS). */
  readonly timeS: Seconds;
  readonly bound: "compute" | "memory";
  /** Efficiency used on the compute side (η_gemm for matmuls, the attention fraction, or 0 for memory ops). */
  readonly efficiency: number;
}

/** The chip-side inputs of the roofline: dense peak at each precision and HBM bandwidth, in base units. */
export type RooflineChip = Pick<Accelerator, "peak" | "memoryBandwidth">;

/** Dense peak for the op's precision, falling back to 16-bit where the chip lacks it (the caller warns). */
export function peakFor(chip: RooflineChip, p: ComputePrecision): number {
  const v = chip.peak[p] ?? chip.peak.bf16 ?? chip.peak.fp16 ?? chip.peak.fp32;
  if (v === null || v === undefined || !(v > 0)) throw new RangeError(`chip has no peak FLOP/s for ${p}`);
  return v;
}

/**
 * Time of one op on one chip: max(FLOPs ÷ (peak[precision] · η), bytes ÷ (HBM bw · η_mem))
 * (roofline, Williams et al. 2009). Memory ops have no compute side; their FLOPs are ignored.
 */
export function opTime(op: Op, chip: RooflineChip, f: PhysicalFractions): OpTime {
  const count = op.count ?? 1;
  const bw = chip.memoryBandwidth;
  if (bw === null || !(bw > 0)) throw new RangeError("chip has no memory bandwidth");
  const memoryS = (count * op.bytes) / (bw * f.hbmFraction);
  let efficiency = 0;
  if (op.kind === "gemm") {
    if (!op.shape) throw new RangeError(`gemm op ${op.name} needs a shape`);
    efficiency = gemmEfficiency(op.shape, f, op.precision);
  } else if (op.kind === "attention") {
    efficiency = f.attentionPeakFraction;
  }
  const computeS = efficiency > 0 ? (count * op.flops) / (peakFor(chip, op.precision) * efficiency) : 0;
  return {
    name: op.name,
    kind: op.kind,
    computeS: seconds(computeS),
    memoryS: seconds(memoryS),
    timeS: seconds(Math.max(computeS, memoryS)),
    bound: computeS >= memoryS ? "compute" : "memory",
    efficiency,
  };
}

/**
 * A matmul of fixed N, K (and repetition count) as an affine roofline in its row count M, for hot loops that time
 * the same op at many M (the serving simulator): since η_gemm ∝ M/(M + h_M),
 * compute(M) = c·(M + h_M) and memory(M) = a + b·M, and opTime = max of the two — the same number as `opTime`.
 */
export interface GemmLine {
  readonly c: number;
  readonly hM: number;
  readonly a: number;
  readonly b: number;
}

/** `GemmLine` of a matmul with N columns, reduction K, weights of `weightBytes` per element, activations of `actBytes`. */
export function gemmLine(
  n: number,
  k: number,
  count: number,
  precision: ComputePrecision,
  weightBytes: number,
  actBytes: number,
  chip: RooflineChip,
  f: PhysicalFractions,
): GemmLine {
  const h = f.gemmHalfDim;
  const bw = (chip.memoryBandwidth ?? 0) * f.hbmFraction;
  const eta = matmulPeakFractionFor(f, precision) * saturation(n, h.n) * saturation(k, h.k);
  return {
    c: eta > 0 ? (count * 2 * n * k) / (peakFor(chip, precision) * eta) : 0,
    hM: h.m,
    a: (count * n * k * weightBytes) / bw,
    b: (count * (n + k) * actBytes) / bw,
  };
}

/** Time of a `GemmLine` at M rows: max(c·(M + h_M), a + b·M); 0 rows cost nothing. */
export const gemmLineTime = (g: GemmLine, m: number): number =>
  m <= 0 ? 0 : Math.max(g.c * (m + g.hM), g.a + g.b * m);

export interface OpsTime {
  readonly ops: readonly OpTime[];
  /** Σ op times: the step's compute-and-memory time (communication is added by the caller). */
  readonly totalS: Seconds;
  /** Σ compute sides and Σ memory sides: max(these) ≤ totalS ≤ their sum. */
  readonly computeS: Seconds;
  readonly memoryS: Seconds;
  /** Σ FLOPs and Σ bytes over the ops, each × its count (per chip). */
  readonly flops: number;
  readonly bytes: number;
  /** The bound of the ops holding most of the time. */
  readonly bound: "compute" | "memory";
}

/**
 * Times a list of ops and sums them (a step is a sum of ops, ARCHITECTURE §2). An op repeated (layers, passes,
 * micro-batches) says so in its `count`; the times, FLOPs and bytes are for all repetitions.
 */
export function timeOps(ops: readonly Op[], chip: RooflineChip, f: PhysicalFractions): OpsTime {
  const times = ops.map((op) => opTime(op, chip, f));
  let total = 0;
  let compute = 0;
  let memory = 0;
  let computeBound = 0;
  let flops = 0;
  let bytes = 0;
  for (const op of ops) {
    flops += op.flops * (op.count ?? 1);
    bytes += op.bytes * (op.count ?? 1);
  }
  for (const t of times) {
    total += t.timeS;
    compute += t.computeS;
    memory += t.memoryS;
    if (t.bound === "compute") computeBound += t.timeS;
  }
  return {
    ops: times,
    totalS: seconds(total),
    computeS: seconds(compute),
    memoryS: seconds(memory),
    flops,
    bytes,
    bound: computeBound >= total - computeBound ? "compute" : "memory",
  };
}
