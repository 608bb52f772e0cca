import { catalog } from "@flopcast/catalog";
import { formatCount, modelView, positiveInt } from "@flopcast/contract";
import type { Command } from "commander";
import { column, renderCsv, renderTable, table } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { resolveModel } from "../resolve.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

export function registerModel(program: Command, run: Runner): void {
  const model = program.command("model");
  withOutputFlags(model.command("list").description("list catalog models")).action((opts) =>
    run(opts, (): CommandOutcome => {
      const rows = [...catalog().models.values()].map((m) => modelView(m));
      const headers = ["id", "name", "paramsTotal", "paramsActive", "layers", "attention", "maxContextTokens"];
      const cells = rows.map((r) => [
        r.id,
        r.name,
        r.paramsTotal,
        r.paramsActive,
        r.layers,
        r.attention,
        r.maxContextTokens,
      ]);
      const col = column<(typeof rows)[number]>;
      return {
        kind: "ok",
        json: rows.map(({ id, name, family, paramsTotal, paramsActive, layers }) => ({
          id,
          name,
          family,
          paramsTotal,
          paramsActive,
          layers,
        })),
        text: () =>
          table(
            [
              col("id", "id", (r) => r.id),
              col("name", "name", (r) => r.name),
              col("paramsTotal", "params total", (r) => r.paramsTotal, formatCount),
              col("paramsActive", "params active", (r) => r.paramsActive, formatCount),
              col("layers", "layers", (r) => r.layers),
              col("attention", "attention", (r) => r.attention),
              col("maxContextTokens", "max context tokens", (r) => r.maxContextTokens, formatCount),
            ],
            rows,
          ),
        csv: () => renderCsv(headers, cells),
      };
    }),
  );
  withOutputFlags(
    model
      .command("show")
      .argument("<model>", "catalog id (see `flopcast model list`) or path to a Hugging Face config.json")
      .option("--context <tokens>", "context length for FLOPs per token (default: the model's max context)")
      .description("parameter counts, forward FLOPs per token, weight and KV-cache bytes"),
  ).action((idOrPath: string, opts: { json?: boolean; csv?: boolean; context?: string }) =>
    run(opts, (): CommandOutcome => {
      const subject = resolveModel(idOrPath);
      let context: number | undefined;
      if (opts.context !== undefined) {
        const parsed = positiveInt.safeParse(opts.context);
        if (!parsed.success)
          throw new BadInput([{ path: "context", message: parsed.error.issues[0]?.message ?? "invalid" }]);
        context = parsed.data;
      }
      const v = modelView(subject, context);
      const fields: [string, string | number | null][] = [
        ["params total", v.paramsTotal],
        ["params active per token", v.paramsActive],
        ["published total", v.paramsPublishedTotal],
        ["layers", v.layers],
        ["hidden", v.hidden],
        ["heads / kv heads", `${v.heads} / ${v.kvHeads} (${v.attention})`],
        ["head dim", v.headDim],
        ["ffn", v.ffn],
        ["vocab", v.vocab],
        ["max context", v.maxContextTokens],
        [`forward FLOPs/token @ ${v.contextTokens}`, v.flopsPerTokenForward],
        [
          v.localAttention ? `KV bytes/token (bf16) @ ${v.maxContextTokens}` : "KV bytes/token (bf16)",
          v.kvBytesPerTokenBf16,
        ],
        ...(v.localAttention
          ? ([["KV bytes/token (bf16), all layers", v.kvBytesPerTokenBf16AllLayers]] as [string, number][])
          : []),
        ["weights GB (bf16)", v.weightGbBf16],
      ];
      return {
        kind: "ok",
        json: v,
        output: "modelShow",
        text: () =>
          [
            `${v.name} (${v.id})`,
            renderTable(["quantity", "value"], fields),
            ...(v.moe
              ? [
                  `moe: ${v.moe.experts} experts, ${v.moe.active} active, ${v.moe.shared} shared, expert ffn ${v.moe.expertFfn}` +
                    `${v.moe.sharedExpertFfn ? ` (shared ${v.moe.sharedExpertFfn})` : ""}; ${v.moe.moeLayers} MoE + ${v.moe.denseLayers} dense layers; active ffn width ${v.moe.activeFfnWidth}`,
                ]
              : []),
            ...(v.localAttention
              ? [
                  `attention: ${v.localAttention.layers} ${v.localAttention.kind === "sliding" ? "sliding-window" : "chunked"} layers of ${v.localAttention.tokens} tokens, ${v.layers - v.localAttention.layers} global` +
                    (v.attentionSinks ? "; learned attention sinks" : ""),
                ]
              : []),
            "sources:",
            ...v.sources.map((s) => `  ${s.field}: ${s.title}${s.where ? ` — ${s.where}` : ""}`),
          ].join("\n"),
        csv: () => renderCsv(["quantity", "value"], fields),
      };
    }),
  );
}
