/**
 * One-time import of ../shared/reference/prices.csv into packages/catalog/data/prices/<id>.json (one dated price
 * point per file) and their sources into data/sources/prices.json. Re-run after the reference file changes:
 * `node scripts/import-prices.ts`. Unit normalisation: cents → USD, per-server/instance prices keep their chip
 * count in `chipsPerUnit` (from the item text), ranges keep low/high with value = midpoint.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readCsv } from "./training-cases.ts";

const DATA = join(import.meta.dirname, "..", "packages", "catalog", "data");

/** Which catalog chips a price row is for, by its id. */
const APPLIES: [RegExp, string[]][] = [
  [/^v100-|aws-p3|azure-nc-v3|^dgx-1|v100-dgx1/, ["v100-sxm2-32gb"]],
  [/a100-sxm4-40gb|aws-p4d-a100-40gb|azure-nd-a100-v4|gcp-a2-a100|lambda-a100|a100-price|a100-40gb/, ["a100-sxm-40gb"]],
  [/dgx-a100|hgx-a100|aws-p4de|azure-nd-a100-80gb/, ["a100-sxm-80gb"]],
  [/h100-pcie/, ["h100-pcie"]],
  [/h100|aws-p5-|aws-cb-p5-h100|azure-nd-h100/, ["h100-sxm"]],
  [/h200|p5e/, ["h200-sxm"]],
  [/gb200/, ["gb200"]],
  [/b200/, ["b200"]],
  [/mi300x/, ["mi300x"]],
  [/gcp-tpu-v3/, ["tpu-v3"]],
  [/gcp-tpu-v4/, ["tpu-v4"]],
  [/tpu-v6e/, ["tpu-v6e"]],
  // BofA's 2025 ASP is for the TPUs shipping in 2025 (v5e, v5p, v6e); v4 was 2021-23 and is not priced by it.
  [/tpu-asp/, ["tpu-v5e", "tpu-v5p", "tpu-v6e"]],
  [/gaudi3/, ["gaudi3"]],
  [/gaudi2/, ["gaudi2"]],
  [/trn1/, ["trainium1"]],
  [/trn2/, ["trainium2"]],
  [/inf2/, ["inferentia2"]],
  [/l40s/, ["l40s"]],
];

function unitOf(unit: string, item: string): { unit: string; chipsPerUnit: number; scale: number } {
  const u = unit.toLowerCase();
  const chips = Number(
    /(\d+)[- ]?(?:x|gpu|accelerator)/i.exec(`${unit} ${item}`)?.[1] ?? /\((\d+)x/.exec(item)?.[1] ?? 1,
  );
  // Counted units first: "queries per year (~9.0e9 per day)" is queries, not USD/day; "A100 GPUs (= 3,617 … servers)"
  // is a chip count, not a server price.
  if (u.includes("queries per year")) return { unit: "queries/year", chipsPerUnit: 1, scale: 1 };
  if (u.includes("a100 gpus")) return { unit: "chips", chipsPerUnit: 1, scale: 1 };
  if (u.includes("cents per kwh")) return { unit: "USD/kWh", chipsPerUnit: 1, scale: 0.01 };
  if (u.includes("per kw-month")) return { unit: "USD/kW-month", chipsPerUnit: 1, scale: 1 };
  if (u.includes("instance-hour")) return { unit: "USD/chip-hour", chipsPerUnit: instanceChips(item), scale: 1 };
  if (u.includes("gpu-hour") || u.includes("chip-hour")) return { unit: "USD/chip-hour", chipsPerUnit: 1, scale: 1 };
  // An accelerator kit (8 OAM modules on a baseboard, no host) is priced at the chip level, per 8 chips.
  if (u.includes("per 8 accelerators")) return { unit: "USD/chip", chipsPerUnit: 8, scale: 1 };
  if (u.includes("server")) return { unit: "USD/server", chipsPerUnit: chips || 8, scale: 1 };
  if (u.includes("per rack")) return { unit: "USD/server", chipsPerUnit: 72, scale: 1 };
  if (u.includes("per gpu") || u.includes("per chip")) return { unit: "USD/chip", chipsPerUnit: 1, scale: 1 };
  if (u.startsWith("ratio")) return { unit: "ratio", chipsPerUnit: 1, scale: 1 };
  if (u.startsWith("years")) return { unit: "years", chipsPerUnit: 1, scale: 1 };
  if (u.includes("per day")) return { unit: "USD/day", chipsPerUnit: 1, scale: 1 };
  if (u.includes("per query")) return { unit: "USD/query", chipsPerUnit: 1, scale: 1 };
  if (u.includes("percent")) return { unit: "percent", chipsPerUnit: 1, scale: 1 };
  return { unit: "USD", chipsPerUnit: 1, scale: 1 };
}

/**
 * Market segment of a rental price (docs/claims.md "Price method"): hyperscaler list on-demand, reserved/committed,
 * capacity block, neo-cloud on-demand, marketplace, or interruptible spot.
 */
export function rentalKindOf(r: { id?: string; kind?: string; commitment?: string }): string | undefined {
  const id = r.id ?? "";
  const c = (r.commitment ?? "").toLowerCase();
  if (r.kind === "cloud-spot") return "spot";
  if (r.kind === "cloud-reserved") return c.includes("capacity block") ? "capacity-block" : "reserved";
  if (r.kind !== "cloud-on-demand") return undefined;
  return /^(aws|azure|gcp|oracle)-/.test(id) ? "hyperscaler-on-demand" : "neocloud-on-demand";
}

/** Accelerators per cloud instance (AWS instance type pages): trn1/trn2 16, inf2.48xlarge 12, dl1 8, p5 8, ND H100 v5 8. */
function instanceChips(item: string): number {
  const t = item.toLowerCase();
  if (t.includes("inf2")) return 12;
  if (t.includes("trn")) return 16;
  return 8;
}

if (process.argv[1] === import.meta.filename) {
  mkdirSync(join(DATA, "prices"), { recursive: true });
  const sources: Record<string, { title: string; accessed: string }> = {};
  for (const r of readCsv("prices.csv")) {
    const id = r.id ?? "";
    const { unit, chipsPerUnit, scale } = unitOf(r.unit ?? "", r.item ?? "");
    const parts = (r.value ?? "").split("-").map(Number).filter(Number.isFinite);
    const [low, high] = parts.length === 2 ? [parts[0] as number, parts[1] as number] : [undefined, undefined];
    const raw =
      parts.length === 2
        ? ((low as number) + (high as number)) / 2
        : parts.length === 1 && r.value !== ""
          ? (parts[0] as number)
          : null;
    const sourceId = `price-${id}`;
    sources[sourceId] = { title: r.source ?? "", accessed: "2026-11-23" };
    // "do not use" in the notes, or a row the notes say is contradicted by a primary reading (trn2 on-demand).
    const doNotUse = /do not use|CONTRADICTED/i.test(r.notes ?? "");
    const rentalKind = rentalKindOf(r);
    const file = {
      id,
      item: r.item,
      kind: r.kind,
      value: raw === null ? null : raw * scale,
      ...(low !== undefined && high !== undefined ? { low: low * scale, high: high * scale } : {}),
      ...(rentalKind ? { rentalKind } : {}),
      unit,
      chipsPerUnit,
      appliesTo: APPLIES.find(([re]) => re.test(id))?.[1] ?? [],
      asOf: r.as_of,
      ...(r.region ? { region: r.region } : {}),
      ...(r.commitment ? { commitment: r.commitment } : {}),
      source: sourceId,
      notes: `${r.unit}. ${r.notes ?? ""}`.trim(),
      ...(raw === null ? { reason: "no confirmed number in the source (left empty in the reference data)" } : {}),
      ...(doNotUse ? { doNotUse: true } : {}),
    };
    writeFileSync(join(DATA, "prices", `${id}.json`), `${JSON.stringify(file, null, 2)}\n`);
  }
  writeFileSync(join(DATA, "sources", "prices.json"), `${JSON.stringify(sources, null, 2)}\n`);
  console.log("imported prices");
}
