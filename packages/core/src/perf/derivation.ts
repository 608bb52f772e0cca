/** How a number was derived (ARCHITECTURE §2: every estimator returns a value and its derivation). */
export interface Term {
  readonly name: string;
  /** The formula in words/symbols, with the reference section of docs/model.md. */
  readonly formula: string;
  readonly value: number;
  readonly unit: string;
}

/** A number that is ours, not measured or published: shown to users labelled as an assumption. */
export interface Assumption {
  readonly name: string;
  readonly value: number | string;
  readonly unit?: string;
  /** Why this value: a citation, or "calibrated on rows …". */
  readonly basis: string;
}

/** A value a coded message was made from: numbers in base units (bytes, seconds) or as the text names them. */
export type MessageParam = string | number | boolean | null | readonly string[];
export type MessageParams = Readonly<Record<string, MessageParam>>;

/**
 * A message as data (issue #15 item 5): `code` for programs, `params` for the values behind it, `message` for people.
 * Core writes English that names no input; texts that name one (a flag on the command line, a field in an HTTP body)
 * are re-rendered per audience by the contract's messages.ts, which also documents every code (docs/messages.md).
 */
export interface CodedMessage<C extends string = string> {
  readonly code: C;
  readonly params: MessageParams;
  readonly message: string;
}

/** Codes of the warnings core raises (each documented in packages/contract/src/messages.ts). */
export type CoreWarningCode =
  | "unvalidated-efficiency"
  | "goodput-assumed"
  | "pipeline-bubble"
  | "global-batch-default"
  | "beyond-scale-up-domain"
  | "idle-chips"
  | "weight-only-quantization"
  | "unknown-engine"
  | "requests-never-admitted"
  | "requests-incomplete";

/** Codes of the reasons core gives for an infeasible plan (each documented in packages/contract/src/messages.ts). */
export type CoreReasonCode =
  | "batch-too-small"
  | "exceeds-memory"
  | "too-many-stages"
  | "tp-heads"
  | "ep"
  | "cp"
  | "interleave-microbatches"
  | "interleave-layers"
  | "dualpipe"
  | "layout"
  | "weights-exceed-memory"
  | "kv-exceeds-memory"
  | "batch-exceeds-kv"
  | "slo-missed-at-batch-1";

export type CoreWarning = CodedMessage<CoreWarningCode>;

export interface Derivation {
  readonly terms: readonly Term[];
  readonly bottleneck: string;
  readonly assumptions: readonly Assumption[];
  readonly warnings: readonly CoreWarning[];
}

/** Reasons a plan is infeasible, with the numbers (STYLE §5.5): memory reasons also carry the bytes at top level. */
export interface InfeasibleReason extends CodedMessage<CoreReasonCode> {
  readonly requiredBytes?: number;
  readonly availableBytes?: number;
}
