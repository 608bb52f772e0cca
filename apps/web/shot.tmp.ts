import { spawn } from "node:child_process";
import { chromium } from "playwright-core";

const [hash, width, y, h, out] = process.argv.slice(2);
const server = spawn(
  process.execPath,
  ["apps/cli/bin/flopcast.js", "ui", "--port", "0", "--db", "/tmp/webshots/db.sqlite"],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const base: string = await new Promise((r) =>
  server.stdout.on("data", (d) => {
    const m = /http:\/\/\S+/.exec(String(d));
    if (m) r(m[0].replace(/\/$/, ""));
  }),
);
const b = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
const p = await b.newPage({ viewport: { width: Number(width), height: 900 } });
await p.goto(`${base}/${hash}`);
await p.waitForTimeout(6000);
await p.screenshot({
  path: out,
  fullPage: true,
  clip: { x: 0, y: Number(y), width: Number(width), height: Number(h) },
});
await b.close();
server.kill();
