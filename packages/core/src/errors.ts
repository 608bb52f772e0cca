/**
 * Three kinds of trouble (STYLE §5.5): bad input is a `Problem` list, an infeasible plan is a result with
 * `feasible: false` and `reasons`, and a broken invariant throws `InvariantError` (a bug: exit 1).
 */
export interface Problem {
  /** Where in the input, as a dotted path (`model.architecture.hidden`, `tokens`). */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
  /** Coded problems (contract messages.ts): the code and the values the message is made from. */
  readonly code?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

export class InvariantError extends Error {
  override name = "InvariantError";
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

export function assertNever(x: never): never {
  throw new InvariantError(`unexpected value: ${JSON.stringify(x)}`);
}

/** A computation that can fail on bad input returns this instead of throwing. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
export const fail = <T = never>(problems: readonly Problem[]): Checked<T> => ({ ok: false, problems });
