import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

// The launcher re-runs on the pinned Node 24 when the test runner is on an older Node.
const main = new URL("../bin/flopcast.js", import.meta.url).pathname;
function flopcast(...args: string[]) {
  return flopcastEnv(process.env, ...args);
}
function flopcastEnv(env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const json = (...args: string[]) => {
  const r = flopcast(...args, "--json");
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe("flopcast CLI (CONTRACT.md)", () => {
  test("--version is apps/cli/package.json's version, from the launcher and from the command line program", () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(flopcast("--version").stdout).toBe(`${version}\n`);
    // Past the launcher's shortcut (two flags): commander's own --version answers, from the same package.json.
    const viaProgram = flopcast("--version", "--json");
    expect(viaProgram.stdout).toBe(`${version}\n`);
  });
  test("the bundle's worker entries run: validate --serving on two measured rows", () => {
    const lines = readFileSync(
      new URL("../../../../shared/reference/serving-measured.csv", import.meta.url),
      "utf8",
    ).split("\n");
    const header = lines[0] ?? "";
    const concurrency = header.split(",").indexOf("concurrency");
    // The two cheapest rows to simulate (lowest concurrency), so the test stays quick.
    const rows = lines
      .slice(1)
      .filter((l) => /^[a-z0-9]/.test(l))
      .sort((a, b) => Number(a.split(",")[concurrency]) - Number(b.split(",")[concurrency]))
      .slice(0, 2);
    const dir = mkdtempSync(join(tmpdir(), "flopcast-serving-"));
    const csv = join(dir, "rows.csv");
    writeFileSync(csv, `${[header, ...rows].join("\n")}\n`);
    const r = flopcast("validate", "--serving", csv, "--workers", "1");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 of 2 rows simulated/);
    expect(r.stderr).not.toMatch(/\s+at /);
  }, 120_000);
  test("hardware list --json has the contract fields", () => {
    const list = json("hardware", "list");
    expect(list.length).toBeGreaterThanOrEqual(33);
    expect(Object.keys(list[0])).toEqual(expect.arrayContaining(["id", "vendor", "name"]));
  });
  test("hardware show h100-sxm --json: dense bf16 989.4, 80 GB, 3.35 TB/s, sources", () => {
    const h = json("hardware", "show", "h100-sxm");
    expect(h.peakTflops.bf16).toBeCloseTo(989.4, 1);
    expect(h.memoryGb).toBe(80);
    expect(h.memBandwidthTbPerS).toBeCloseTo(3.35, 6);
    expect(h.sources.length).toBeGreaterThan(0);
  });
  test("an unknown id exits 2 with problems and the closest ids, no stack trace", () => {
    const r = flopcast("hardware", "show", "h100-sxmm", "--json");
    expect(r.code).toBe(2);
    const p = JSON.parse(r.stdout).problems[0];
    expect(p.hint).toContain("h100-sxm");
    const text = flopcast("model", "show", "llama-2-7");
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/did you mean "llama-2-7b"/);
    expect(text.stderr).not.toMatch(/\s+at /);
  });
  test("a malformed config.json exits 2 with a readable message", () => {
    const dir = mkdtempSync(join(tmpdir(), "flopcast-"));
    const bad = join(dir, "config.json");
    writeFileSync(bad, "{ not json");
    const r = flopcast("model", "show", bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON/);
    writeFileSync(bad, JSON.stringify({ model_type: "llama", hidden_size: 64 }));
    const r2 = flopcast("model", "show", bad, "--json");
    expect(r2.code).toBe(2);
    expect(
      JSON.parse(r2.stdout)
        .problems.map((p: { path: string }) => p.path)
        .join(" "),
    ).toMatch(/num_hidden_layers/);
  });
  test("a Hugging Face repo id resolves from the local hub cache ($HF_HOME/hub), else exit 2 naming where config.json goes", () => {
    const home = mkdtempSync(join(tmpdir(), "flopcast-hf-"));
    const repo = join(home, "hub", "models--meta-llama--Llama-3.1-8B-Instruct");
    mkdirSync(join(repo, "snapshots", "0e9e39f"), { recursive: true });
    mkdirSync(join(repo, "refs"));
    writeFileSync(join(repo, "refs", "main"), "0e9e39f");
    const fixture = new URL("../../../packages/core/test/fixtures/llama-3.1-8b.config.json", import.meta.url).pathname;
    copyFileSync(fixture, join(repo, "snapshots", "0e9e39f", "config.json"));
    const env = { ...process.env, HF_HOME: home, HF_HUB_CACHE: "" };
    const ok = flopcastEnv(env, "model", "show", "meta-llama/Llama-3.1-8B-Instruct", "--json");
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).paramsTotal).toBe(8_030_261_248);
    const missing = flopcastEnv(env, "model", "show", "meta-llama/Llama-3.1-70B-Instruct", "--json");
    expect(missing.code).toBe(2);
    const p = JSON.parse(missing.stdout).problems[0];
    expect(p.message).toContain(join(home, "hub", "models--meta-llama--Llama-3.1-70B-Instruct", "snapshots"));
    expect(p.hint).toMatch(/huggingface-cli download meta-llama\/Llama-3.1-70B-Instruct config.json/);
  });
  test("train --json: PF-days of GPT-3 175B within 1% of 3,640", () => {
    expect(Math.abs(json("train", "--model", "gpt3-175b", "--tokens", "300e9").pfDays / 3640 - 1)).toBeLessThan(0.01);
  });
  test("negative or malformed numbers exit 2", () => {
    expect(flopcast("train", "--model", "gpt3-175b", "--tokens", "-5", "--json").code).toBe(2);
    expect(flopcast("infer", "--model", "llama-3.1-8b", "--hardware", "h100-sxm", "--batch", "lots").code).toBe(2);
    expect(flopcast("train", "--model", "gpt3-175b", "--bogus-flag").code).toBe(2);
  });
  test("--scenario YAML with flag overrides; malformed YAML exits 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "flopcast-"));
    const file = join(dir, "s.yaml");
    writeFileSync(
      file,
      "model: llama-3.1-8b\nhardware: h100-sxm\nchips: 1\ninputTokens: 512\noutputTokens: 256\nbatch: 8\n",
    );
    const r = json("infer", "--scenario", file, "--batch", "16");
    expect(r.batch).toBe(16);
    expect(r.inputTokens).toBe(512);
    writeFileSync(file, "model: [oops\n");
    expect(flopcast("infer", "--scenario", file).code).toBe(2);
  });
  test("infer: infeasible plan is exit 0 with feasible false and reasons", () => {
    const r = json(
      "infer",
      "--model",
      "llama-2-70b",
      "--hardware",
      "h100-sxm",
      "--chips",
      "1",
      "--precision",
      "fp16",
      "--input-tokens",
      "1024",
      "--output-tokens",
      "256",
      "--batch",
      "1",
    );
    expect(r.feasible).toBe(false);
    expect(r.reasons[0].message).toMatch(/GB/);
  });
  test("validate --json lists training and inference cases with errorRatio", () => {
    const v = json("validate");
    expect(v.cases.some((c: { estimator: string }) => c.estimator === "inference")).toBe(true);
    const c = v.cases[0];
    expect(c.errorRatio).toBeCloseTo(c.predicted / c.expected - 1, 3);
  });
});
