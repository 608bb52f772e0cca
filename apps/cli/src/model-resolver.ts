import type { ModelResolver } from "@flopcast/contract";
import { BadInput } from "./output.ts";
import { resolveModel } from "./resolve.ts";

/** The CLI's resolver for runScenario: catalog ids and config.json paths, problems instead of exceptions. */
export const cliModelResolver: ModelResolver = (idOrPath, path) => {
  try {
    return { ok: true, value: resolveModel(idOrPath, path) };
  } catch (e) {
    if (e instanceof BadInput) return { ok: false, problems: e.problems };
    throw e;
  }
};
