/**
 * The estimator jobs the API runs off the HTTP thread (see pool.ts): one pure function from a job to an outcome,
 * so the worker and a direct in-process call give the same answer. Bodies are checked against the API work
 * budget after validation (packages/contract/src/budget.ts).
 */
import { findAccelerator, findModel } from "@flopcast/catalog";
import {
  API_BUDGET,
  CompareScenario,
  checkAllClaims,
  compareHardware,
  inferenceLedger,
  problemsFromZod,
  runScenario,
  type ScenarioCommand,
  summarize,
  trainingLedger,
  workProblems,
} from "@flopcast/contract";
import type { Problem } from "@flopcast/core";

export type EstimateJob =
  | { readonly kind: "scenario"; readonly command: ScenarioCommand; readonly body: Record<string, unknown> }
  | { readonly kind: "compare"; readonly body: Record<string, unknown> }
  | { readonly kind: "claims" }
  | { readonly kind: "validate" }
  | { readonly kind: "ping" };

export type EstimateOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export function estimate(job: EstimateJob): EstimateOutcome {
  switch (job.kind) {
    case "scenario":
      return runScenario(job.command, job.body, undefined, API_BUDGET);
    case "compare": {
      const parsed = CompareScenario.safeParse(job.body);
      if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
      const over = workProblems(parsed.data, API_BUDGET);
      if (over.length) return { ok: false, problems: over };
      const model = findModel(parsed.data.model);
      if (!model.ok) return model;
      const chips = [];
      for (const [i, id] of parsed.data.hardware.split(",").entries()) {
        const h = findAccelerator(id.trim(), `hardware[${i}]`);
        if (!h.ok) return h;
        chips.push(h.value);
      }
      return { ok: true, result: compareHardware(parsed.data, model.value, chips) };
    }
    case "claims":
      return { ok: true, result: checkAllClaims() };
    case "ping":
      return { ok: true, result: null };
    case "validate": {
      const cases = [...trainingLedger(), ...inferenceLedger()];
      return { ok: true, result: { cases, summary: summarize(cases) } };
    }
  }
}
