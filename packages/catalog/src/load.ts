/**
 * Loads the statically imported catalog files, validates them once, and resolves them into core types
 * (base units). Lookups return problems with the closest valid ids instead of throwing.
 */
import {
  type Accelerator,
  type Architecture,
  bytes,
  type Checked,
  COMPUTE_PRECISIONS,
  type ComputePrecision,
  fail,
  gibibytes,
  gigabitsPerSecond,
  gigabytes,
  gigabytesPerSecond,
  MEGA,
  type ModelSpec,
  ok,
  type SystemNetwork,
  terabytesPerSecond,
  teraflopsPerSecond,
  watts,
} from "@flopcast/core";
import type { z } from "zod";
import { closest } from "./closest.ts";
import { prevalidated } from "./prevalidated.ts";
import { validateCatalogFiles } from "./raw.ts";
import type { AcceleratorFile, ModelFile, Sourced, SourcesFile, SystemFile } from "./schema.ts";

export type SourceRecord = z.infer<typeof SourcesFile>[string];

export interface CatalogError {
  readonly file: string;
  readonly message: string;
}

/** Value of a sourced quantity, or null when unknown. */
const known = (q: Sourced): number | null => q.value;

function memoryBytes(q: Sourced) {
  if (q.value === null) return null;
  switch (q.unit) {
    case "GB":
      return gigabytes(q.value);
    case "GiB":
      return gibibytes(q.value);
    case "MB":
      return bytes(q.value * MEGA);
    default:
      return null;
  }
}

function bandwidth(q: Sourced) {
  if (q.value === null) return null;
  switch (q.unit) {
    case "TB/s":
      return terabytesPerSecond(q.value);
    case "GB/s":
      return gigabytesPerSecond(q.value);
    case "Gbit/s":
      return gigabitsPerSecond(q.value);
    default:
      return null;
  }
}

export function toAccelerator(f: AcceleratorFile): Accelerator {
  const peak = Object.fromEntries(
    COMPUTE_PRECISIONS.map((p) => {
      const q = f.peak[p];
      return [p, q && q.value !== null ? teraflopsPerSecond(q.value) : null];
    }),
  ) as Record<ComputePrecision, ReturnType<typeof teraflopsPerSecond> | null>;
  const tdp = known(f.tdp);
  return {
    id: f.id,
    vendor: f.vendor,
    name: f.name,
    family: f.family,
    memory: memoryBytes(f.memory),
    memoryBandwidth: bandwidth(f.memoryBandwidth),
    peak,
    scaleUpBandwidth: bandwidth(f.scaleUpBandwidth),
    scaleUpDomain: known(f.scaleUpDomain),
    scaleOutBandwidth: bandwidth(f.scaleOutBandwidth),
    tdp: tdp === null ? null : watts(tdp),
  };
}

/**
 * A system's network tiers for the training step model (core `SystemNetwork`): scale-up domain and bandwidth,
 * scale-out bandwidth, and where the file states them the pod size and the bandwidth beyond it. Unknown
 * values fall back to the accelerator's own (`trainingNetwork`).
 */
export function toSystemNetwork(f: SystemFile): SystemNetwork | null {
  const domain = known(f.scaleUpDomain);
  const up = bandwidth(f.scaleUpBandwidth);
  const out = bandwidth(f.scaleOutBandwidth);
  if (domain === null || up === null || out === null) return null;
  const pod = f.podChips ? known(f.podChips) : null;
  const dcn = f.dcnBandwidth ? bandwidth(f.dcnBandwidth) : null;
  return {
    id: f.id,
    scaleUpDomain: domain,
    scaleUpBandwidth: up,
    scaleOutBandwidth: out,
    ...(pod !== null && dcn !== null ? { podChips: pod, dcnBandwidth: dcn } : {}),
  };
}

export function toArchitecture(f: ModelFile): Architecture {
  return f.architecture;
}

export interface Catalog {
  readonly accelerators: ReadonlyMap<string, AcceleratorFile>;
  readonly systems: ReadonlyMap<string, SystemFile>;
  readonly models: ReadonlyMap<string, ModelFile>;
  readonly sources: Readonly<Record<string, SourceRecord>>;
  /** alias → canonical id, for accelerators. */
  readonly acceleratorAliases: ReadonlyMap<string, string>;
  readonly errors: readonly CatalogError[];
}

/** The validated catalog as plain JSON: what a bundle embeds so it need not validate ~200 files on every start. */
export interface CatalogSnapshot {
  readonly accelerators: readonly AcceleratorFile[];
  readonly systems: readonly SystemFile[];
  readonly models: readonly ModelFile[];
  readonly sources: Readonly<Record<string, SourceRecord>>;
}

function assemble(s: CatalogSnapshot, errors: CatalogError[]): Catalog {
  const acceleratorAliases = new Map<string, string>();
  for (const a of s.accelerators) for (const alias of a.aliases) acceleratorAliases.set(alias, a.id);
  return {
    accelerators: new Map(s.accelerators.map((a) => [a.id, a])),
    systems: new Map(s.systems.map((x) => [x.id, x])),
    models: new Map(s.models.map((m) => [m.id, m])),
    sources: s.sources,
    acceleratorAliases,
    errors,
  };
}

function build(): Catalog {
  const accelerators = prevalidated("accelerators");
  const systems = prevalidated("systems");
  const models = prevalidated("models");
  const sources = prevalidated("sources");
  if (accelerators && systems && models && sources) return assemble({ accelerators, systems, models, sources }, []);
  const raw = validateCatalogFiles();
  return assemble(raw.snapshot, raw.errors);
}

let cached: Catalog | undefined;
/** The built-in catalog (validated on first use). */
export function catalog(): Catalog {
  cached ??= build();
  return cached;
}

/** The validated catalog as JSON-ready data; throws when the catalog has errors (a bundle must not embed them). */
export function catalogSnapshot(): CatalogSnapshot {
  const c = catalog();
  if (c.errors.length) throw new Error(`catalog errors: ${c.errors.map((e) => `${e.file}: ${e.message}`).join("; ")}`);
  return {
    accelerators: [...c.accelerators.values()],
    systems: [...c.systems.values()],
    models: [...c.models.values()],
    sources: c.sources,
  };
}

function unknownId(kind: string, path: string, id: string, ids: readonly string[]) {
  const near = closest(id, ids);
  return fail([
    {
      path,
      message: `unknown ${kind} "${id}"`,
      hint: near.length
        ? `did you mean ${near.map((n) => `"${n}"`).join(", ")}? ${kind === "system" ? `(systems: ${ids.join(", ")})` : `(\`flopcast ${kind === "hardware" ? "hardware list" : "model list"}\` lists them all)`}`
        : undefined,
    },
  ]);
}

export function findAccelerator(id: string, path = "hardware"): Checked<AcceleratorFile> {
  const c = catalog();
  const canonical = c.accelerators.has(id) ? id : c.acceleratorAliases.get(id);
  const file = canonical ? c.accelerators.get(canonical) : undefined;
  return file ? ok(file) : unknownId("hardware", path, id, [...c.accelerators.keys()]);
}

/** A system of the catalog (systems/): a chip in its node, scale-up domain, scale-out and pod network. */
export function findSystem(id: string, path = "system"): Checked<SystemFile> {
  const c = catalog();
  const file = c.systems.get(id);
  return file ? ok(file) : unknownId("system", path, id, [...c.systems.keys()]);
}

export function findModel(id: string, path = "model"): Checked<ModelFile> {
  const c = catalog();
  const file = c.models.get(id);
  return file ? ok(file) : unknownId("model", path, id, [...c.models.keys()]);
}

export function modelSpec(f: ModelFile): ModelSpec {
  return { id: f.id, name: f.name, architecture: toArchitecture(f) };
}

/** For ids known to be in the catalog (tests, scripts, validation cases, claim files): the record, or a thrown error. */
export function requireModel(id: string): ModelFile {
  const m = findModel(id);
  if (!m.ok) throw new Error(m.problems.map((p) => p.message).join("; "));
  return m.value;
}

export function requireAccelerator(id: string): AcceleratorFile {
  const h = findAccelerator(id);
  if (!h.ok) throw new Error(h.problems.map((p) => p.message).join("; "));
  return h.value;
}
