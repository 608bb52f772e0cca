import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { type AcceleratorFile, findAccelerator, findModel } from "@flopcast/catalog";
import type { ModelSubject } from "@flopcast/contract";
import { architectureFromHfConfig } from "@flopcast/core";
import { BadInput } from "./output.ts";

const looksLikePath = (s: string) => s.endsWith(".json") || s.includes("/") || s.includes("\\");
/** A Hugging Face repo id: `org/name`, one slash, no path-like start (`meta-llama/Llama-3.1-70B-Instruct`). */
const looksLikeRepoId = (s: string) => /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(s) && !s.endsWith(".json");

/** The hub cache directory the Hugging Face libraries use: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function huggingFaceHubCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE; // empty means unset
  const home = env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "huggingface");
  return join(home, "hub");
}

/**
 * config.json of `org/name` in the hub cache (layout `models--org--name/snapshots/<rev>/config.json`): the
 * revision refs/main points at, else the first snapshot by name that has one; undefined when absent.
 */
export function cachedHfConfig(repoId: string, cache = huggingFaceHubCache()): string | undefined {
  const repoDir = join(cache, `models--${repoId.replace("/", "--")}`);
  const snapshots = join(repoDir, "snapshots");
  if (!existsSync(snapshots)) return undefined;
  const main = join(repoDir, "refs", "main");
  const preferred = existsSync(main) ? readFileSync(main, "utf8").trim() : undefined;
  const revisions = readdirSync(snapshots).sort();
  for (const rev of preferred ? [preferred, ...revisions] : revisions) {
    const file = join(snapshots, rev, "config.json");
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** `--model`: a catalog id, a path to a Hugging Face config.json (or its folder), or a repo id in the local HF cache. */
export function resolveModel(idOrPath: string, path = "model"): ModelSubject {
  if (!looksLikePath(idOrPath)) {
    const found = findModel(idOrPath, path);
    if (!found.ok) throw new BadInput(found.problems);
    return found.value;
  }
  if (existsSync(idOrPath) && statSync(idOrPath).isDirectory() && existsSync(join(idOrPath, "config.json")))
    return resolveModel(join(idOrPath, "config.json"), path);
  if (!existsSync(idOrPath) && looksLikeRepoId(idOrPath)) {
    const cache = huggingFaceHubCache();
    const file = cachedHfConfig(idOrPath, cache);
    if (!file) {
      const where = join(cache, `models--${idOrPath.replace("/", "--")}`, "snapshots", "<revision>", "config.json");
      throw new BadInput([
        {
          path,
          message: `${idOrPath} is not in the local Hugging Face cache (no ${where})`,
          hint: `download it with \`huggingface-cli download ${idOrPath} config.json\` (set HF_HOME to use another cache), put its config.json at that path, or pass the path of a config.json`,
        },
      ]);
    }
    return { ...resolveModel(file, path), id: idOrPath, name: idOrPath.split("/")[1] ?? idOrPath };
  }
  let text: string;
  try {
    text = readFileSync(idOrPath, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BadInput([
      {
        path,
        message: `cannot read ${idOrPath}: ${code === "ENOENT" ? "no such file" : (code ?? "read error")}`,
        hint: "give a catalog id (flopcast model list) or the path of a Hugging Face config.json",
      },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BadInput([{ path, message: `${idOrPath} is not valid JSON: ${(e as Error).message}` }]);
  }
  const arch = architectureFromHfConfig(json);
  if (!arch.ok)
    throw new BadInput(arch.problems.map((p) => ({ ...p, path: `${path}(${basename(idOrPath)}).${p.path}` })));
  const name = basename(dirname(idOrPath)) || basename(idOrPath);
  return { id: idOrPath, name, family: "hf-config", architecture: arch.value };
}

export function resolveHardware(id: string, path = "hardware"): AcceleratorFile {
  const found = findAccelerator(id, path);
  if (!found.ok) throw new BadInput(found.problems);
  return found.value;
}
