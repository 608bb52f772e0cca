/**
 * OpenAPI 200 responses come from the command registry's output schemas, and what the routes answer matches them
 * (issue #15 item 5: one shape per result across CLI, API, web and sweeps).
 */
import { COMMANDS, type CommandName } from "@flopcast/contract";
import { openStore } from "@flopcast/store";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { createApp } from "../src/app.ts";

const app = createApp({ store: openStore(":memory:"), today: () => "2026-11-23", newId: () => "s1" });

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}
interface Operation {
  responses: Record<string, { content?: { "application/json": { schema: JsonSchema } } }>;
}
const doc = (await (await app.request("/openapi.json")).json()) as {
  paths: Record<string, { get?: Operation; post?: Operation }>;
};
const schema200 = (path: string, method: "get" | "post") =>
  doc.paths[path]?.[method]?.responses["200"]?.content?.["application/json"].schema;

/** Top-level check of a JSON value against an object schema (or any branch of an anyOf): keys allowed and present. */
function topLevelMismatch(value: Record<string, unknown>, s: JsonSchema): string[] {
  const branches = s.anyOf ?? [s];
  const misses = branches.map((b) => {
    const allowed = new Set(Object.keys(b.properties ?? {}));
    const extra = Object.keys(value).filter((k) => b.additionalProperties === false && !allowed.has(k));
    const missing = (b.required ?? []).filter((k) => !(k in value));
    return [...extra.map((k) => `undocumented ${k}`), ...missing.map((k) => `missing ${k}`)];
  });
  return misses.reduce((best, m) => (m.length < best.length ? m : best));
}

const routes: [CommandName, string, "get" | "post"][] = [
  ["train", "/v1/train", "post"],
  ["infer", "/v1/infer", "post"],
  ["serve", "/v1/serve", "post"],
  ["fleet", "/v1/fleet", "post"],
  ["compare", "/v1/compare", "post"],
  ["claims", "/v1/claims", "get"],
  ["validate", "/v1/validate", "get"],
  ["hardwareList", "/v1/hardware", "get"],
  ["hardwareShow", "/v1/hardware/{id}", "get"],
  ["modelShow", "/v1/models/{id}", "get"],
];

describe("OpenAPI 200 responses are the registry's output schemas", () => {
  for (const [name, path, method] of routes)
    test(`${method.toUpperCase()} ${path}: 200 schema = ${name} output schema`, () => {
      expect(schema200(path, method)).toEqual(
        JSON.parse(JSON.stringify(z.toJSONSchema(COMMANDS[name].output, { io: "output", unrepresentable: "any" }))),
      );
    });

  test("the documented 200 schema names the CONTRACT.md fields (infer)", () => {
    const s = schema200("/v1/infer", "post");
    expect(s?.required).toEqual(
      expect.arrayContaining(["ttftMs", "tpotMs", "outputTokensPerS", "maxBatch", "memoryPerChipGb", "bottleneck"]),
    );
    expect(s?.additionalProperties).toBe(false);
  });
});

describe("what each route answers matches its documented schema", () => {
  for (const [name, path, method] of routes)
    test(`${method.toUpperCase()} ${path}`, { timeout: 60_000 }, async () => {
      const example = COMMANDS[name].example as Record<string, unknown>;
      const url = path.replace("{id}", String(example.id ?? ""));
      const res =
        method === "post"
          ? await app.request(url, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(example),
            })
          : await app.request(url);
      expect(res.status).toBe(200);
      const body = (await res.json()) as unknown;
      expect(COMMANDS[name].output.safeParse(body).error?.issues ?? []).toEqual([]);
      const s = schema200(path, method) as JsonSchema;
      const first = (Array.isArray(body) ? body[0] : body) as Record<string, unknown>;
      expect(topLevelMismatch(first, Array.isArray(body) ? (s.items as JsonSchema) : s)).toEqual([]);
    });
});

describe("API problems name JSON fields, never CLI flags", () => {
  test("POST /v1/train with hardware but no chips: a coded 400 that says `chips`, not `--chips`", async () => {
    const res = await app.request("/v1/train", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "llama-3.1-8b", tokens: 1e12, hardware: "h100-sxm" }),
    });
    expect(res.status).toBe(400);
    const { problems } = (await res.json()) as { problems: { message: string; code?: string }[] };
    expect(problems[0]).toMatchObject({ code: "fields-go-together", message: "hardware and chips go together" });
    expect(problems.map((p) => p.message).join(" ")).not.toMatch(/--[a-z]/);
  });
});
