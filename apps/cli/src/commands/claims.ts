import { claimFiles, closest } from "@flopcast/catalog";
import { checkAllClaims, checkClaim } from "@flopcast/contract";
import type { Command } from "commander";
import { formatNumber, renderCsv, renderTable } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

export function registerClaims(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("claims")
      .description("reproduce published AI-compute claims from first principles and say whether the arithmetic holds")
      .option(
        "--explain <id>",
        "one claim in full: inputs, assumptions with their basis, every quantity and its expression",
      ),
  ).action((opts: { json?: boolean; csv?: boolean; explain?: string }) =>
    run(opts, (): CommandOutcome => {
      if (opts.explain !== undefined) {
        const file = claimFiles().find((c) => c.id === opts.explain);
        if (!file) {
          throw new BadInput([
            {
              path: "explain",
              message: `unknown claim "${opts.explain}"`,
              hint: `did you mean ${closest(
                opts.explain,
                claimFiles().map((c) => c.id),
              )
                .map((x) => `"${x}"`)
                .join(", ")}?`,
            },
          ]);
        }
        const r = checkClaim(file);
        return {
          kind: "ok",
          json: r,
          text: () =>
            [
              `${r.id}: ${r.verdict.toUpperCase()}`,
              `claim: ${r.claim}`,
              `source: ${r.source}`,
              `published: ${r.published === null ? "—" : formatNumber(r.published)}; reproduced: ${formatNumber(r.reproduced)} ${r.unit}`,
              "",
              "assumptions:",
              ...(r.assumptions.length
                ? r.assumptions.map(
                    (a) =>
                      `  ${a.name} = ${typeof a.value === "number" ? formatNumber(a.value) : a.value}${a.unit ? ` ${a.unit}` : ""} — ${a.basis}`,
                  )
                : ["  (none: catalog values only)"]),
              "",
              renderTable(
                ["quantity", "value", "unit", "expression"],
                r.quantities.map((q) => [q.label, q.value, q.unit, q.expression]),
              ),
              "",
              r.explanation,
            ].join("\n"),
          csv: () =>
            renderCsv(
              ["quantity", "value", "unit", "expression"],
              r.quantities.map((q) => [q.label, q.value, q.unit, q.expression]),
            ),
        };
      }
      const results = checkAllClaims();
      const json = results.map(({ id, source, claim, reproduced, unit, verdict, explanation, published }) => ({
        id,
        source,
        claim,
        published,
        reproduced,
        unit,
        verdict,
        explanation,
      }));
      const headers = ["id", "verdict", "published", "reproduced", "unit"];
      const rows = results.map((r) => [r.id, r.verdict, r.published, r.reproduced, r.unit]);
      return {
        kind: "ok",
        json,
        csv: () =>
          renderCsv(
            [...headers, "explanation"],
            results.map((r) => [r.id, r.verdict, r.published, r.reproduced, r.unit, r.explanation]),
          ),
        text: () =>
          `${renderTable(headers, rows)}\n\n${results.filter((r) => r.verdict === "holds").length} hold, ${results.filter((r) => r.verdict === "off").length} off, ${results.filter((r) => r.verdict === "unverifiable").length} unverifiable. \`flopcast claims --explain <id>\` shows the working.`,
      };
    }),
  );
}
