/**
 * Nested cross-validation for a calibration hyperparameter (docs/validation.md "How the prior weight is chosen"):
 * a hyperparameter picked by looking at held-out errors has been fitted on them. Here it is chosen on each outer
 * fold's training rows only, by an inner leave-one-group-out, so the outer errors stay out of sample
 * (Varma & Simon 2006, "Bias in error estimation when using cross-validation for model selection"; Cawley &
 * Talbot 2010 JMLR 11, §5).
 */
import { medianOf } from "./validation.ts";

/** One candidate's inner score: median |error| of the rows predicted with their own group held out. */
export interface CandidateScore<H> {
  readonly value: H;
  readonly innerMedianAbsError: number;
}

export interface Selection<H> {
  /** The candidate with the lowest inner median (ties: the earlier candidate). */
  readonly value: H;
  readonly scores: readonly CandidateScore<H>[];
}

/**
 * Leave-one-group-out over `rows` for each candidate: `predictHeldOut(train, held, candidate)` returns the
 * signed relative errors of `held` from a fit on `train` alone; the candidate with the lowest median |error|
 * over all rows wins.
 */
export function selectByGroupCv<R, H>(
  rows: readonly R[],
  candidates: readonly H[],
  groupOf: (r: R) => string,
  predictHeldOut: (train: readonly R[], held: readonly R[], candidate: H) => readonly number[],
): Selection<H> {
  if (candidates.length === 0) throw new RangeError("no candidates");
  const groups = [...new Set(rows.map(groupOf))].sort();
  const scores = candidates.map((value) => {
    const errors = groups.flatMap((g) =>
      predictHeldOut(
        rows.filter((r) => groupOf(r) !== g),
        rows.filter((r) => groupOf(r) === g),
        value,
      ),
    );
    return { value, innerMedianAbsError: medianOf(errors.map(Math.abs)) };
  });
  let best = scores[0] as CandidateScore<H>;
  for (const s of scores) if (s.innerMedianAbsError < best.innerMedianAbsError) best = s;
  return { value: best.value, scores };
}
