/**
 * The estimator jobs the API runs off the HTTP thread (see pool.ts): one pure function from a job to an outcome,
 * so the worker and a direct in-process call give the same answer. Every job is a row of the command registry
 * (packages/contract/src/commands.ts), run with the request's scenario date and the API work budget.
 */
import { API_BUDGET, type CommandName, runCommand } from "@flopcast/contract";
import type { Problem } from "@flopcast/core";

export type EstimateJob =
  | {
      readonly kind: "command";
      readonly command: CommandName;
      readonly body: Record<string, unknown>;
      /** The scenario date of the request (the app reads the clock once per request). */
      readonly today: string;
    }
  | { readonly kind: "ping" };

export type EstimateOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export function estimate(job: EstimateJob): EstimateOutcome {
  if (job.kind === "ping") return { ok: true, result: null };
  return runCommand(job.command, job.body, { today: job.today, budget: API_BUDGET });
}
