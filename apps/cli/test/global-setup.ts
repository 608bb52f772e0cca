import { buildCli } from "../scripts/build.ts";

/** vitest globalSetup: one CLI bundle build before any test spawns bin/flopcast.js (≈ 1 s). */
export async function setup(): Promise<void> {
  await buildCli();
}
