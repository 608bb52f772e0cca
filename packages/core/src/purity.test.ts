import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

/** Core is pure (ARCHITECTURE §1): the compiler bans Node/DOM globals (tsconfig types: []); this bans the ES ones. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

describe("core purity", () => {
  test("no Math.random, Date, console or imports from outside core in core sources", () => {
    const offenders = sources(new URL(".", import.meta.url).pathname).filter((f) => {
      const text = readFileSync(f, "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
      return /Math\.random|\bDate\b|\bconsole\.|from "(?!\.)/.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
