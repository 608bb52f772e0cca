import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { type AcceleratorFile, findAccelerator, findModel } from "@flopcast/catalog";
import type { ModelSubject } from "@flopcast/contract";
import { architectureFromHfConfig } from "@flopcast/core";
import { BadInput } from "./output.ts";

const looksLikePath = (s: string) => s.endsWith(".json") || s.includes("/") || s.includes("\\");

/** `--model`: a catalog id, or a path to a Hugging Face config.json (CONTRACT.md conventions). */
export function resolveModel(idOrPath: string, path = "model"): ModelSubject {
  if (!looksLikePath(idOrPath)) {
    const found = findModel(idOrPath, path);
    if (!found.ok) throw new BadInput(found.problems);
    return found.value;
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
