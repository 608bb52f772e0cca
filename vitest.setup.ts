import { fc } from "@fast-check/vitest";

// Property tests run with a fixed seed so CI is reproducible; set FC_SEED to explore other seeds.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123), numRuns: 200 });
