import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { knownProfile, syntheticRunsCsv } from "../../../packages/contract/src/synthetic-runs.fixture.ts";

const main = new URL("../bin/flopcast.js", import.meta.url).pathname;
const flopcast = (...args: string[]) => {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/**
 * Round trip (issue #12 §7): measured training runs generated from known fractions (0.55 bf16, 0.40 FP8 on Hopper)
 * → `flopcast calibrate` → profile.json → `infer --calibration profile.json` runs its matmuls at those fractions.
 */
describe("infer --calibration profile.json (round trip through flopcast calibrate)", () => {
  const dir = mkdtempSync(join(tmpdir(), "flopcast-infer-cal-"));
  const runs = join(dir, "runs.csv");
  const profile = join(dir, "profile.json");
  writeFileSync(runs, syntheticRunsCsv(knownProfile(0.55, 0.4)));
  const infer = (...extra: string[]) =>
    flopcast(
      "infer",
      "--model",
      "llama-3.1-8b",
      "--hardware",
      "h100-sxm",
      "--input-tokens",
      "1024",
      "--output-tokens",
      "128",
      ...extra,
    );
  // η_gemm of the prefill QKV projection of Llama-3.1-8B at TP 1 (M 1024, N 4096 + 2·1024 = 6144, K 4096), prior
  // half-dimensions 64/96/64: peak fraction × 1024/1088 × 6144/6240 × 4096/4160 = peak fraction × 0.912440.
  const shape = 0.91244;

  test("calibrate writes the profile; infer uses its matmul fractions (within 2%) and names it in --explain", () => {
    const c = flopcast("calibrate", "--runs", runs, "--out", profile);
    expect(c.code, c.stderr).toBe(0);
    const bf16 = infer("--precision", "bf16", "--calibration", profile, "--json");
    expect(bf16.code, bf16.stderr).toBe(0);
    const r = JSON.parse(bf16.stdout);
    expect(r.calibration).toBe(profile);
    const qkv = r.prefill.ops.find((o: { name: string }) => o.name === "QKV projection");
    expect(Math.abs(qkv.efficiency / (0.55 * shape) - 1)).toBeLessThan(0.02);
    const m = r.assumptions.find((a: { name: string }) => a.name === "matmul peak fraction");
    expect(Math.abs(m.value / 0.55 - 1)).toBeLessThan(0.02);
    expect(m.basis).toContain(`calibration profile ${profile}`);
    const texts = (ws: { message: string }[]) => ws.map((w) => w.message).join("\n");
    expect(texts(r.warnings)).toContain(`efficiency from calibration profile ${profile}`);

    const fp8 = JSON.parse(infer("--precision", "fp8", "--calibration", profile, "--json").stdout);
    const qkv8 = fp8.prefill.ops.find((o: { name: string }) => o.name === "QKV projection");
    expect(Math.abs(qkv8.efficiency / (0.4 * shape) - 1)).toBeLessThan(0.02);

    const explained = infer("--precision", "bf16", "--calibration", profile, "--explain");
    expect(explained.stdout).toContain(`calibration: ${profile}`);
    const catalog = infer("--precision", "bf16", "--explain");
    expect(catalog.stdout).toContain("calibration: catalog (packages/catalog/data/calibration/inference.json)");
  });

  test("a chip whose generation the profile did not fit keeps the catalog's fractions, and says so", () => {
    const r = flopcast("infer", "--model", "llama-3.1-8b", "--hardware", "mi300x", "--calibration", profile, "--json");
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.calibration).toContain("catalog");
    expect(out.warnings.map((w: { message: string }) => w.message).join("\n")).toContain(
      "has no fit for mi300x's generation",
    );
  });

  test("a file that is not a profile exits 2 with a problem on calibration", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"families": 3}');
    const r = infer("--calibration", bad, "--json");
    expect(r.code).toBe(2);
    const p = JSON.parse(r.stdout).problems[0];
    expect(p.path).toBe("calibration");
    expect(p.hint).toContain("flopcast calibrate");
    const missing = infer("--calibration", join(dir, "nope.json"), "--json");
    expect(missing.code).toBe(2);
    expect(missing.stdout).not.toContain("    at ");
  });
});
