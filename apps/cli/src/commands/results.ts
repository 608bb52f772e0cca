import { existsSync, statSync } from "node:fs";
import { openStore, type ResultStore, StoreOpenError } from "@flopcast/store";
import type { Command } from "commander";
import { renderCsv, renderTable } from "../format/table.ts";
import { BadInput, type CommandOutcome } from "../output.ts";
import { type Runner, withOutputFlags } from "./shared.ts";

export function registerResults(program: Command, run: Runner): void {
  const results = program.command("results");
  withOutputFlags(
    results
      .command("query")
      .description("query sweep rows: filter on scenario or result fields, order, limit, CSV export")
      .requiredOption("--db <file>", "results store")
      .option("--sweep <id>", "only this sweep (the grid file's name)")
      .option("--where <field=value...>", "equality filters, e.g. hardware=h100-sxm result.feasible=true")
      .option("--order-by <field>", "sort by a scenario key or result.<field>")
      .option("--desc", "descending order")
      .option("--limit <n>", "at most n rows")
      .option("--fields <list>", "columns for text/CSV (default: scenario keys + a few result fields)"),
  ).action(
    (opts: {
      db: string;
      sweep?: string;
      where?: string[];
      orderBy?: string;
      desc?: boolean;
      limit?: string;
      fields?: string;
      json?: boolean;
      csv?: boolean;
    }) =>
      run(opts, (): CommandOutcome => {
        const where = (opts.where ?? []).map((w) => {
          const i = w.indexOf("=");
          if (i <= 0)
            throw new BadInput([{ path: "where", message: `expected field=value, got ${JSON.stringify(w)}` }]);
          return { field: w.slice(0, i), value: w.slice(i + 1) };
        });
        let limit: number | undefined;
        if (opts.limit !== undefined) {
          limit = /^\s*\d+\s*$/.test(opts.limit) ? Number(opts.limit) : Number.NaN;
          if (!Number.isSafeInteger(limit) || limit < 1)
            throw new BadInput([
              { path: "limit", message: `--limit must be a whole number ≥ 1, got ${JSON.stringify(opts.limit)}` },
            ]);
        }
        if (!existsSync(opts.db) || statSync(opts.db).isDirectory())
          throw new BadInput([{ path: "db", message: `no results store at ${opts.db}` }]);
        let store: ResultStore;
        try {
          store = openStore(opts.db, { mustExist: true });
        } catch (e) {
          if (e instanceof StoreOpenError) throw new BadInput([{ path: "db", message: e.message }]);
          throw e;
        }
        let rows: ReturnType<ResultStore["querySweepRows"]>;
        try {
          rows = store.querySweepRows({
            sweep: opts.sweep,
            where,
            orderBy: opts.orderBy,
            descending: Boolean(opts.desc),
            limit,
          });
        } catch (e) {
          throw new BadInput([{ path: "query", message: (e as Error).message }]);
        } finally {
          store.close();
        }
        const first = rows[0];
        const defaultFields = first
          ? [
              ...Object.keys(first.scenario as object),
              ...Object.keys((first.result ?? {}) as object)
                .filter((k) => /PerS$|Ms$|Usd$|^feasible$|^chips$|^days$|^mfu$/.test(k))
                .map((k) => `result.${k}`),
            ]
          : [];
        const fields = opts.fields ? opts.fields.split(",") : defaultFields;
        const get = (r: (typeof rows)[number], f: string): string | number | null => {
          const src = (f.startsWith("result.") ? r.result : r.scenario) as Record<string, unknown> | null;
          const v = src?.[f.startsWith("result.") ? f.slice(7) : f];
          return typeof v === "number"
            ? v
            : v === undefined || v === null
              ? null
              : typeof v === "object"
                ? JSON.stringify(v)
                : String(v);
        };
        const cells = rows.map((r) => fields.map((f) => get(r, f)));
        return {
          kind: "ok",
          json: rows,
          csv: () => renderCsv(fields, cells),
          text: () => `${renderTable(fields, cells)}\n${rows.length} rows`,
        };
      }),
  );
}
