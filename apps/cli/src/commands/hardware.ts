import { catalog } from "@flopcast/catalog";
import { hardwareSummary, hardwareView } from "@flopcast/contract";
import type { Command } from "commander";
import { renderCsv, renderTable } from "../format/table.ts";
import type { CommandOutcome } from "../output.ts";
import { resolveHardware } from "../resolve.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

export function registerHardware(program: Command, run: Runner): void {
  const hw = program.command("hardware").description("the accelerator catalog: every number with its unit and source");
  withOutputFlags(
    hw.command("list").description("list every accelerator (id, vendor, memory, bandwidth, dense bf16 peak)"),
  ).action((opts) =>
    run(opts, (): CommandOutcome => {
      const rows = [...catalog().accelerators.values()]
        .map(hardwareSummary)
        .sort((a, b) => a.vendor.localeCompare(b.vendor) || a.id.localeCompare(b.id));
      const headers = ["id", "vendor", "name", "year", "memoryGb", "memBandwidthTbPerS", "peakBf16Tflops", "tdpW"];
      const cells = rows.map((r) => [
        r.id,
        r.vendor,
        r.name,
        String(r.year),
        r.memoryGb,
        r.memBandwidthTbPerS,
        r.peakBf16Tflops,
        r.tdpW,
      ]);
      return {
        kind: "ok",
        json: rows,
        text: () =>
          `${renderTable(["id", "vendor", "name", "year", "memory GB", "HBM TB/s", "bf16 TFLOP/s", "TDP W"], cells)}\n\n${rows.length} accelerators; dense peaks. \`flopcast hardware show <id>\` for sources.`,
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
      const v = hardwareView(resolveHardware(id));
      const peaks = Object.entries(v.peakTflops).map(([p, x]) => [p, x, v.unknown[`peakTflops.${p}`] ?? ""] as const);
      return {
        kind: "ok",
        json: v,
        text: () =>
          [
            `${v.name} (${v.id}) — ${v.vendor}, ${v.year}, family ${v.family}`,
            `memory            ${v.memoryGb ?? "unknown"} GB ${v.memoryType ?? ""}`.trimEnd(),
            `memory bandwidth  ${v.memBandwidthTbPerS ?? "unknown"} TB/s`,
            `scale-up          ${v.scaleUpGbPerS ?? "unknown"} GB/s per direction, domain ${v.scaleUpDomainChips ?? "unknown"} chips`,
            `scale-out         ${v.scaleOutGbitPerS ?? "unknown"} Gbit/s per chip`,
            `TDP               ${v.tdpW ?? "unknown"} W`,
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
