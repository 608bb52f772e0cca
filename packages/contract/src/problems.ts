import type { Problem } from "@flopcast/core";
import type { z } from "zod";

/** Turns zod issues into flopcast problems (path as dotted string, lowercase message). */
export function problemsFromZod(error: z.ZodError, prefix = ""): Problem[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    // Coded issues (messages.ts `codedIssue`) keep their code and params beside the text.
    const coded =
      issue.code === "custom"
        ? (issue.params as { messageCode?: string; messageParams?: Record<string, unknown> })
        : undefined;
    return coded?.messageCode
      ? { path, message: issue.message, code: coded.messageCode, params: coded.messageParams ?? {} }
      : { path, message: issue.message };
  });
}

/** One readable line per problem, for stderr. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems
    .map((p) => `error: ${p.path ? `${p.path}: ` : ""}${p.message}${p.hint ? `\n  hint: ${p.hint}` : ""}`)
    .join("\n");
}
