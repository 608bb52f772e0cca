import { claimFiles, closest } from "@flopcast/catalog";
import { type ClaimPriceContext, checkAllClaims, checkClaim, PriceBasisName } from "@flopcast/contract";
import type { Command } from "commander";
import { formatNumber, renderCsv, renderTable } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";

const range = (x: number | null, lo: number | null, hi: number | null): string =>
  `${x === null ? "—" : formatNumber(x)}${lo !== null || hi !== null ? ` (range ${lo === null ? "…" : formatNumber(lo)}–${hi === null ? "…" : formatNumber(hi)})` : ""}`;

/** --price-basis / --price-usd-per-chip-hour, validated (bad values are problems, exit 2). */
function claimPriceContext(opts: { priceBasis?: string; priceUsdPerChipHour?: string }): ClaimPriceContext {
  const basis = opts.priceBasis === undefined ? undefined : PriceBasisName.safeParse(opts.priceBasis);
  if (basis && !basis.success)
    throw new BadInput([{ path: "priceBasis", message: basis.error.issues[0]?.message ?? "unknown price basis" }]);
  const usd = opts.priceUsdPerChipHour === undefined ? undefined : Number(opts.priceUsdPerChipHour);
  if (usd !== undefined && !(usd >= 0))
    throw new BadInput([{ path: "priceUsdPerChipHour", message: "must be a non-negative number" }]);
  return { basis: basis?.data, usdPerChipHour: usd };
}

import { type Runner, withOutputFlags } from "./shared.ts";

export function registerClaims(program: Command, run: Runner): void {
  withOutputFlags(
    program
      .command("claims")
      .option(
        "--price-basis <basis>",
        "rental basis for priced claims: market (default) | on-demand | reserved | list (records of the 12 months before each claim's date)",
      )
      .option("--price-usd-per-chip-hour <usd>", "price every rented chip-hour in the claims at this rent")
      .option(
        "--explain <id>",
        "one claim in full: inputs, assumptions with their basis, every quantity and its expression",
      ),
  ).action(
    (opts: { json?: boolean; csv?: boolean; explain?: string; priceBasis?: string; priceUsdPerChipHour?: string }) =>
      run(opts, (): CommandOutcome => {
        const ctx = claimPriceContext(opts);
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
          const r = checkClaim(file, ctx);
          return {
            kind: "ok",
            json: r,
            text: () =>
              [
                `${r.id}: ${r.verdict.toUpperCase()}`,
                `claim: ${r.claim}`,
                `quote: ${r.quote}`,
                `source: ${r.source} (${r.date})`,
                `published: ${range(r.published, r.publishedLow, r.publishedHigh)} ${r.unit}; reproduced: ${range(r.reproduced, r.reproducedLow, r.reproducedHigh)} ${r.unit}`,
                `verdict rule: ${r.verdictRule}`,
                "",
                "inputs:",
                ...r.inputs.map(
                  (a) =>
                    `  ${a.name} = ${typeof a.value === "number" ? formatNumber(a.value) : a.value}${a.unit ? ` ${a.unit}` : ""} — ${a.kind}: ${a.source}`,
                ),
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
        const results = checkAllClaims(ctx);
        // The full results, as GET /v1/claims answers them (one shape: the registry's `claims` output schema).
        const json = results;
        const headers = ["id", "verdict", "published", "reproduced", "unit"];
        const rows = results.map((r) => [r.id, r.verdict, r.published, r.reproduced, r.unit]);
        return {
          kind: "ok",
          json,
          output: "claims",
          csv: () =>
            renderCsv(
              [...headers, "explanation"],
              results.map((r) => [r.id, r.verdict, r.published, r.reproduced, r.unit, r.explanation]),
            ),
          text: () =>
            `${renderTable(headers, rows)}\n\n${results.length} claims: ${(["holds", "off", "unverifiable", "premise-false"] as const).map((v) => `${results.filter((r) => r.verdict === v).length} ${v}`).join(", ")}. \`flopcast claims --explain <id>\` shows the inputs and the working.`,
        };
      }),
  );
}
