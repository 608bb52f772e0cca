import { catalog } from "@flopcast/catalog";
import { describeRental, hardwareSummary, hardwareView } from "@flopcast/contract";
import type { Command } from "commander";
import { formatNumber, renderCsv, renderTable } from "../format/table.ts";
import type { CommandOutcome } from "../output.ts";
import { resolveHardware } from "../resolve.ts";
import { type Runner, todayIso, withOutputFlags } from "./shared.ts";

export function registerHardware(program: Command, run: Runner): void {
  const hw = program.command("hardware");
  withOutputFlags(
    hw.command("list").description("list every accelerator (id, vendor, memory, bandwidth, dense bf16 peak)"),
  ).action((opts) =>
    run(opts, (): CommandOutcome => {
      const rows = [...catalog().accelerators.values()]
        .map((f) => hardwareSummary(f, todayIso()))
        .sort((a, b) => a.vendor.localeCompare(b.vendor) || a.id.localeCompare(b.id));
      const headers = [
        "id",
        "vendor",
        "name",
        "year",
        "memoryGb",
        "sramMb",
        "memBandwidthTbPerS",
        "peakBf16Tflops",
        "tdpW",
        "rentalUsdPerChipHour",
        "ownedUsdPerDay",
      ];
      const cells = rows.map((r) => [
        r.id,
        r.vendor,
        r.name,
        String(r.year),
        r.memoryGb,
        r.sramMb,
        r.memBandwidthTbPerS,
        r.peakBf16Tflops,
        r.tdpW,
        r.rentalUsdPerChipHour,
        r.ownedUsdPerDay,
      ]);
      return {
        kind: "ok",
        json: rows,
        output: "hardwareList",
        text: () =>
          `${renderTable(["id", "vendor", "name", "year", "memory GB", "SRAM MB", "HBM TB/s", "bf16 TFLOP/s", "TDP W", "rent $/h", "owned $/day"], cells)}\n\n${rows.length} accelerators; dense peaks; memory in GB = 1e9 bytes; rent = market median of the 12 months before today; owned = capex ÷ useful life + power + hosting at full use. \`flopcast hardware show <id>\` for sources and price records.`,
        csv: () => renderCsv(headers, cells),
      };
    }),
  );
  withOutputFlags(
    hw
      .command("show")
      .argument("<id>", "accelerator id or alias (see `flopcast hardware list`)")
      .description("one accelerator with every value's source"),
  ).action((id: string, opts) =>
    run(opts, (): CommandOutcome => {
      const v = hardwareView(resolveHardware(id), todayIso());
      const peaks = Object.entries(v.peakTflops).map(([p, x]) => [p, x, v.unknown[`peakTflops.${p}`] ?? ""] as const);
      return {
        kind: "ok",
        json: v,
        output: "hardwareShow",
        text: () =>
          [
            `${v.name} (${v.id}) — ${v.vendor}, ${v.year}, family ${v.family}`,
            v.sramMb !== null
              ? `memory            ${v.sramMb} MB on-chip SRAM (${v.memoryType ?? ""})`
              : `memory            ${v.memoryGb ?? "unknown"} GB ${v.memoryType ?? ""}`.trimEnd(),
            `memory bandwidth  ${v.memBandwidthTbPerS ?? "unknown"} TB/s`,
            `scale-up          ${v.scaleUpGbPerS ?? "unknown"} GB/s per direction, domain ${v.scaleUpDomainChips ?? "unknown"} chips`,
            `scale-out         ${v.scaleOutGbitPerS ?? "unknown"} Gbit/s per chip`,
            `TDP               ${v.tdpW === null ? `unknown (${v.unknown.tdpW ?? ""})` : `${v.tdpW} W`}`,
            `purchase          ${v.price.purchaseUsdPerChip === null ? `no public price${"reasonDetail" in v.price.purchase && v.price.purchase.reasonDetail ? `: ${v.price.purchase.reasonDetail}` : ""}` : `$${formatNumber(v.price.purchaseUsdPerChip)} per chip alone, $${formatNumber(v.price.capexUsdPerChip ?? 0)} with server and network share (${"method" in v.price.purchase ? v.price.purchase.method : ""})`}`,
            `rental            ${describeRental(v.price.rentalUsdPerChipHour)}`,
            `owned             ${v.price.ownedUsdPerDay === null ? `— (${v.price.ownedReason})` : `$${formatNumber(v.price.ownedUsdPerDay)} per chip-day at full use`}`,
            "",
            renderTable(
              ["precision", "dense TFLOP/s", "why unknown"],
              peaks.map(([p, x, why]) => [p, x, why]),
            ),
            "",
            "sources:",
            ...v.sources.map(
              (s) =>
                `  ${s.field}: ${s.title}${s.where ? ` — ${s.where}` : ""}${s.url ? ` <${s.url}>` : ""} [${s.kind ?? ""}]`,
            ),
            ...(v.notes ? ["", `notes: ${v.notes}`] : []),
          ].join("\n"),
        csv: () =>
          renderCsv(
            ["precision", "denseTflops"],
            peaks.map(([p, x]) => [p, x]),
          ),
      };
    }),
  );
}
