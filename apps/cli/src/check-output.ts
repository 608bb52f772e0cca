import { COMMANDS, type CommandName } from "@flopcast/contract";
import { InvariantError } from "@flopcast/core";

/**
 * Checks a `--json` result against its registry output schema (as printed: JSON, so NaN/Infinity are null). Loaded
 * only when FLOPCAST_CHECK_OUTPUT is set (the test suite sets it), so normal runs pay nothing. A mismatch is a bug.
 */
export function checkOutput(name: CommandName, json: unknown): void {
  const p = COMMANDS[name].output.safeParse(JSON.parse(JSON.stringify(json)));
  if (!p.success)
    throw new InvariantError(
      `--json of ${name} does not match its output schema (packages/contract/src/outputs.ts): ${p.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ")}`,
    );
}
