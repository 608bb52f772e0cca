/** Claims: published numbers re-derived from first principles, published vs reproduced in the claim's unit. */
import { checkAllClaims, formatNumber } from "@flopcast/contract";
import { html } from "htm/preact";
import { useMemo } from "preact/hooks";
import { PlotFigure } from "../charts/plot-figure.ts";
import { type RatioPoint, ratioSpec } from "../charts/specs.ts";
import { Table } from "../components.ts";

/**
 * Verdict colours from the Okabe–Ito palette: holds = bluish green, off = vermillion, unverifiable = grey,
 * premise-false = reddish purple.
 */
const VERDICT_COLORS: Record<string, string> = {
  holds: "#009E73",
  off: "#D55E00",
  unverifiable: "#999999",
  "premise-false": "#CC79A7",
};

export function ClaimsView() {
  const claims = useMemo(() => checkAllClaims(), []);
  const points: RatioPoint[] = claims
    .filter((c) => c.published !== null && c.published > 0 && c.reproduced !== null && c.reproduced > 0)
    .map((c) => ({
      label: c.id,
      ratio: (c.reproduced as number) / (c.published as number),
      group: c.verdict,
      title: `${c.claim}\npublished ${formatNumber(c.published)} ${c.unit}\nreproduced ${formatNumber(c.reproduced)} ${c.unit}\nverdict: ${c.verdict}`,
    }));
  const counts = ["holds", "off", "unverifiable", "premise-false"].map(
    (v) => `${claims.filter((c) => c.verdict === v).length} ${v}`,
  );
  return html`
    <p class="muted">${claims.length} claims: ${counts.join(" · ")}.</p>
    <div class="charts charts-wide">
      <${PlotFigure} name="claims" title="Reproduced ÷ published (both in the claim's unit)" spec=${ratioSpec(points, { xLabel: "reproduced ÷ published", yLabel: "claim", colors: VERDICT_COLORS })} note="1× is an exact reproduction; the dashed lines mark ±25%. Ratios beyond 1000× are pinned to the edge; claims without a published number are left out." />
    </div>
    <${Table}
      testid="claims-table"
      columns=${[{ label: "Claim" }, { label: "Verdict" }, { label: "Published", num: true }, { label: "Reproduced", num: true }, { label: "Unit" }, { label: "Why" }]}
      rows=${claims.map((c) => [
        html`<span title=${c.claim}>${c.id}</span>`,
        html`<span class=${`badge verdict-${c.verdict}`}>${c.verdict}</span>`,
        formatNumber(c.published),
        formatNumber(c.reproduced),
        c.unit,
        html`<span class="explanation">${c.explanation}</span>`,
      ])}
    />`;
}
