/**
 * Browser tests: the built web app served by `flopcast ui`, driven by Playwright (playwright-core) in the system
 * Chromium (Debian package; .ci/run installs it). Screenshots go to apps/web/test-artifacts/.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { runScenario } from "@flopcast/contract";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fmt } from "../src/format.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.CI)
  throw new Error(`browser tests need Chromium at ${CHROMIUM} (.ci/run installs the Debian package)`);
const dist = new URL("../dist/", import.meta.url).pathname;
const artifacts = new URL("../test-artifacts/", import.meta.url).pathname;
const bin = new URL("../../cli/bin/flopcast.js", import.meta.url).pathname;

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let base = "";

async function openPage(hash: string): Promise<Page> {
  const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/${hash}`);
  return page;
}

describe.skipIf(!available)("web app in Chromium", () => {
  beforeAll(async () => {
    if (!existsSync(join(dist, "index.html"))) {
      const { build } = await import("vite");
      await build({ root: new URL("..", import.meta.url).pathname, logLevel: "warn" });
    }
    mkdirSync(artifacts, { recursive: true });
    const db = join(mkdtempSync(join(tmpdir(), "flopcast-web-")), "ui.sqlite");
    server = spawn(process.execPath, [bin, "ui", "--port", "0", "--db", db], { stdio: ["ignore", "pipe", "inherit"] });
    base = await new Promise<string>((resolve, reject) => {
      server?.stdout?.on("data", (d: Buffer) => {
        const m = /http:\/\/\S+/.exec(d.toString());
        if (m) resolve(m[0].replace(/\/$/, ""));
      });
      server?.on("exit", () => reject(new Error("flopcast ui exited")));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
  });

  test("the Train page shows GPT-3's PF-days without a click, equal to the CLI's --json, within 1 s of load", async () => {
    const page = await openPage("");
    await page.waitForSelector("[data-testid=pfdays]");
    const expected = runScenario("train", {
      model: "gpt3-175b",
      tokens: "300e9",
      hardware: "a100-sxm-80gb",
      chips: "1024",
      priceUsdPerChipHour: "1.8",
    });
    if (!expected.ok) throw new Error("scenario");
    expect(await page.textContent("[data-testid=pfdays]")).toBe(
      `${fmt((expected.result as { pfDays: number }).pfDays)} PF-days`,
    );
    const renderedMs = await page.evaluate(
      () => performance.getEntriesByName("flopcast-rendered")[0]?.startTime ?? Number.NaN,
    );
    console.log(`first estimate rendered ${renderedMs.toFixed(0)} ms after navigation start`);
    expect(renderedMs).toBeLessThan(1000);
    await page.screenshot({ path: join(artifacts, "train.png"), fullPage: true });
  });

  test("Infer: changing a dropdown recomputes instantly and matches the CLI", async () => {
    const page = await openPage("#/infer");
    await page.selectOption("select[name=hardware]", "mi300x");
    await page.waitForFunction(() => location.hash.includes("hardware=mi300x"));
    const expected = runScenario("infer", {
      model: "llama-3.1-8b",
      hardware: "mi300x",
      chips: "1",
      inputTokens: "512",
      outputTokens: "256",
      batch: "8",
    });
    if (!expected.ok) throw new Error("scenario");
    expect(await page.textContent("[data-testid=tokens]")).toBe(
      `${fmt((expected.result as { outputTokensPerS: number }).outputTokensPerS)} output tokens/s`,
    );
    await page.screenshot({ path: join(artifacts, "infer.png"), fullPage: true });
  });

  test("a shared URL reproduces the page exactly", async () => {
    const page = await openPage(
      "#/infer?model=llama-2-70b&hardware=h100-sxm&chips=8&tp=8&inputTokens=1024&outputTokens=128&batch=32",
    );
    await page.waitForSelector("[data-testid=tokens]");
    const first = await page.textContent("[data-testid=tokens]");
    const url = page.url();
    const again = await (browser as Browser).newPage();
    await again.goto(url);
    await again.waitForSelector("[data-testid=tokens]");
    expect(await again.textContent("[data-testid=tokens]")).toBe(first);
    expect(await again.inputValue("input[name=batch]")).toBe("32");
  });

  test("bad input shows a message next to the field", async () => {
    const page = await openPage("#/train");
    await page.fill("input[name=tokens]", "-5");
    await page.waitForSelector("[data-field=tokens]");
    expect(await page.textContent("[data-field=tokens]")).toMatch(/greater than 0/);
  });

  test("scenario names are rendered as text: a <script> in a name does not run", async () => {
    await fetch(`${base}/v1/scenarios`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "<script>window.__xss=1</script>",
        command: "train",
        scenario: { model: "gpt3-175b", tokens: "300e9" },
      }),
    });
    const page = await openPage("#/train");
    await page.waitForSelector("[data-testid=saved-list] li");
    expect(await page.textContent("[data-testid=saved-list]")).toContain("<script>window.__xss=1</script>");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  test("every page loads: Serve (DES in a worker), Fleet, Compare, Claims, Hardware, Validation", async () => {
    const checks: [string, string][] = [
      [
        "#/serve?model=llama-3.1-8b&hardware=h100-sxm&chips=1&rate=10&requests=2000&inputTokens=512&outputTokens=128&seed=1",
        "[data-testid=throughput]",
      ],
      ["#/fleet", "[data-testid=chips]"],
      ["#/compare", "[data-testid=result] svg"],
      ["#/infer", "[data-testid=roofline] circle"],
      ["#/search", "[data-testid=pareto] circle"],
      ["#/claims", "td.verdict-holds"],
      ["#/hardware", "[data-testid=hardware-table] tr:nth-child(34)"],
      ["#/validation", ".headline"],
    ];
    for (const [hash, selector] of checks) {
      const page = await openPage(hash);
      await page.waitForSelector(selector, { timeout: 30_000 });
      await page.screenshot({ path: join(artifacts, `${hash.slice(2).split("?")[0] || "home"}.png`), fullPage: true });
      await page.close();
    }
  }, 90_000);
});

describe("bundle size", () => {
  test("the built web app's JavaScript is ≤ 300 kB gzipped", () => {
    if (!existsSync(join(dist, "assets"))) return; // built by `npm install` (prepare) or the browser suite
    const files = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js"));
    const total = files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, "assets", f))).length, 0);
    console.log(`web app JS: ${(total / 1024).toFixed(1)} kB gzipped (${files.length} files)`);
    expect(total).toBeLessThanOrEqual(300 * 1024);
  });
});
