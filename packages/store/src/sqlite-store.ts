/**
 * The embedded store: SQLite through Node's built-in `node:sqlite` (no native build), WAL journal, numbered
 * migrations. Holds sweep results (and, for the API, saved scenarios). Node-only: the browser build never
 * imports it. ARCHITECTURE §6 puts the store behind an interface; `ResultStore` is that interface.
 */
import { DatabaseSync } from "node:sqlite";

export interface SweepRowRecord {
  readonly sweep: string;
  readonly index: number;
  readonly command: string;
  readonly scenario: unknown;
  readonly result: unknown;
  readonly problems: unknown;
}

export interface SavedScenario {
  readonly id: string;
  readonly name: string;
  readonly command: string;
  readonly scenario: unknown;
  readonly createdAt: string;
}

export interface QueryOptions {
  readonly sweep?: string | undefined;
  /** Equality filters on scenario or result fields: `hardware=h100-sxm`, `result.feasible=true`. */
  readonly where?: readonly { field: string; value: string }[];
  /** Field to sort by (scenario key, or `result.<field>`). */
  readonly orderBy?: string | undefined;
  readonly descending?: boolean;
  readonly limit?: number | undefined;
}

export interface ResultStore {
  putSweepRows(rows: readonly SweepRowRecord[]): void;
  /** Indices already stored for one sweep (resume back-fills the rest from the JSONL output). */
  sweepIndices(sweep: string): Set<number>;
  querySweepRows(q: QueryOptions): SweepRowRecord[];
  saveScenario(s: SavedScenario): void;
  getScenario(id: string): SavedScenario | undefined;
  listScenarios(): SavedScenario[];
  deleteScenario(id: string): boolean;
  close(): void;
}

/** Schema migrations, applied in order; `PRAGMA user_version` records how many ran. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sweep_rows (
     sweep TEXT NOT NULL, idx INTEGER NOT NULL, command TEXT NOT NULL,
     scenario TEXT NOT NULL, result TEXT, problems TEXT,
     PRIMARY KEY (sweep, idx))`,
  `CREATE TABLE scenarios (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, command TEXT NOT NULL,
     scenario TEXT NOT NULL, created_at TEXT NOT NULL)`,
];

/** Turns `result.outputTokensPerS` or `hardware` into a json_extract expression over a whitelisted path. */
function jsonPath(field: string): string {
  if (!/^[A-Za-z0-9_.]+$/.test(field)) throw new Error(`invalid field name ${JSON.stringify(field)}`);
  return field.startsWith("result.")
    ? `json_extract(result, '$.${field.slice(7)}')`
    : `json_extract(scenario, '$.${field}')`;
}

/** The store could not be opened: not a SQLite file, no such directory, no permission, a newer schema. */
export class StoreOpenError extends Error {}

/** Opens (or creates) a store; a file that is not a flopcast SQLite store throws `StoreOpenError`. */
export function openStore(path: string, opts: { mustExist?: boolean } = {}): ResultStore {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { open: true });
    if (opts.mustExist && path !== ":memory:") db.exec("SELECT 1 FROM sweep_rows LIMIT 0");
    if (path !== ":memory:") db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    const version = Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
    if (version > MIGRATIONS.length)
      throw new Error(`schema version ${version} is newer than this flopcast (${MIGRATIONS.length})`);
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec("BEGIN");
      db.exec(MIGRATIONS[v] as string);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec("COMMIT");
    }
  } catch (e) {
    const message = (e as Error).message.split("\n")[0] ?? "cannot open";
    throw new StoreOpenError(
      /not a database|file is encrypted/i.test(message)
        ? `${path} is not a SQLite database`
        : /no such table/.test(message)
          ? `${path} is not a flopcast results store`
          : `cannot open ${path}: ${message}`,
    );
  }
  const insertRow = db.prepare(
    "INSERT OR REPLACE INTO sweep_rows (sweep, idx, command, scenario, result, problems) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const toRecord = (r: Record<string, unknown>): SweepRowRecord => ({
    sweep: String(r.sweep),
    index: Number(r.idx),
    command: String(r.command),
    scenario: JSON.parse(String(r.scenario)),
    result: r.result === null ? null : JSON.parse(String(r.result)),
    problems: r.problems === null ? null : JSON.parse(String(r.problems)),
  });
  const toScenario = (r: Record<string, unknown>): SavedScenario => ({
    id: String(r.id),
    name: String(r.name),
    command: String(r.command),
    scenario: JSON.parse(String(r.scenario)),
    createdAt: String(r.created_at),
  });
  return {
    putSweepRows(rows) {
      db.exec("BEGIN");
      try {
        for (const r of rows)
          insertRow.run(
            r.sweep,
            r.index,
            r.command,
            JSON.stringify(r.scenario),
            r.result === undefined ? null : JSON.stringify(r.result),
            r.problems === undefined ? null : JSON.stringify(r.problems),
          );
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
    },
    sweepIndices(sweep) {
      const rows = db.prepare("SELECT idx FROM sweep_rows WHERE sweep = ?").all(sweep) as { idx: number }[];
      return new Set(rows.map((r) => Number(r.idx)));
    },
    querySweepRows(q) {
      const clauses: string[] = [];
      const params: (string | number)[] = [];
      if (q.sweep !== undefined) {
        clauses.push("sweep = ?");
        params.push(q.sweep);
      }
      for (const w of q.where ?? []) {
        clauses.push(`CAST(${jsonPath(w.field)} AS TEXT) = ?`);
        params.push(w.value);
      }
      const order = q.orderBy
        ? `ORDER BY ${jsonPath(q.orderBy)} ${q.descending ? "DESC" : "ASC"}, sweep, idx`
        : "ORDER BY sweep, idx";
      const sql = `SELECT * FROM sweep_rows ${clauses.length ? `WHERE ${clauses.join(" AND ")}` : ""} ${order} ${q.limit ? `LIMIT ${Math.floor(q.limit)}` : ""}`;
      return (db.prepare(sql).all(...params) as Record<string, unknown>[]).map(toRecord);
    },
    saveScenario(s) {
      db.prepare(
        "INSERT OR REPLACE INTO scenarios (id, name, command, scenario, created_at) VALUES (?, ?, ?, ?, ?)",
      ).run(s.id, s.name, s.command, JSON.stringify(s.scenario), s.createdAt);
    },
    getScenario(id) {
      const r = db.prepare("SELECT * FROM scenarios WHERE id = ?").get(id) as Record<string, unknown> | undefined;
      return r ? toScenario(r) : undefined;
    },
    listScenarios() {
      return (db.prepare("SELECT * FROM scenarios ORDER BY created_at, id").all() as Record<string, unknown>[]).map(
        toScenario,
      );
    },
    deleteScenario(id) {
      return Number(db.prepare("DELETE FROM scenarios WHERE id = ?").run(id).changes) > 0;
    },
    close() {
      db.close();
    },
  };
}
