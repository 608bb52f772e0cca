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

export interface Derivation {
  readonly terms: readonly Term[];
  readonly bottleneck: string;
  readonly assumptions: readonly Assumption[];
  readonly warnings: readonly string[];
}

/** Reasons a plan is infeasible, with the numbers (STYLE §5.5). */
export interface InfeasibleReason {
  readonly code: string;
  readonly message: string;
  readonly requiredBytes?: number;
  readonly availableBytes?: number;
}
