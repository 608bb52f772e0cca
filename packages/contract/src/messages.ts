/**
 * Messages are data (issue #15 item 5): a problem carries a `code` and `params`, and this one table turns them into
 * text for an audience. The CLI names inputs as flags (`--spec-k`, `--zero 3`); the API and the web app name them as
 * fields (`specK`, `zero: 3`), so an HTTP user is never told about a flag they cannot type. Programs read `code` and
 * `params`; people read `message`.
 *
 * Contract schemas raise coded issues with `codedIssue`; `problemsFromZod` renders them for the API/web by default,
 * and the CLI re-renders every problem it prints with `localizeProblems(problems, "cli")`.
 */
import type { Problem } from "@flopcast/core";

export type MessageParam = string | number | boolean | null | readonly string[];
export type MessageParams = Readonly<Record<string, MessageParam>>;

/** Who reads the message: `cli` (flags) or `api` (JSON field names; the web app reads the API's form too). */
export type Audience = "cli" | "api";

/** How an audience names an input: the field itself, the field with a placeholder, and a field set to a value. */
interface Namer {
  field(name: string): string;
  /** `--requests K` on the command line; `requests` in a body (the placeholder is a CLI habit). */
  arg(name: string, placeholder: string): string;
  setting(name: string, value: string | number): string;
}

const kebab = (camel: string): string => camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const NAMERS: Record<Audience, Namer> = {
  cli: {
    field: (n) => `--${kebab(n)}`,
    arg: (n, placeholder) => `--${kebab(n)} ${placeholder}`,
    setting: (n, v) => `--${kebab(n)} ${v}`,
  },
  api: {
    field: (n) => n,
    arg: (n) => n,
    setting: (n, v) => `${n}: ${typeof v === "string" ? JSON.stringify(v) : v}`,
  },
};

const str = (p: MessageParams, k: string): string => String(p[k] ?? "");
const list = (p: MessageParams, k: string): readonly string[] => {
  const v = p[k];
  return Array.isArray(v) ? (v as readonly string[]) : [];
};
/** "a and b", "a, b and c". */
const and = (xs: readonly string[]): string =>
  xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;

/** Every coded message, by code. Params are named in each entry's comment. */
export const MESSAGES = {
  /** fields: [a, b] — two inputs that only make sense together. */
  "fields-go-together": (p: MessageParams, n: Namer) => `${and(list(p, "fields").map(n.field))} go together`,
  /** product, chips — an explicit layout that does not multiply to the chip count. */
  "layout-product-mismatch": (p: MessageParams) =>
    `tp × pp × dp × cp = ${str(p, "product")} but chips = ${str(p, "chips")}`,
  /** (none) — speculative decoding asked for without k and α. */
  "speculative-needs-rates": (_: MessageParams, n: Namer) =>
    `speculative decoding needs ${n.field("specK")} and ${n.field("specAcceptance")}`,
  /** (none) — speculative decoding with no draft model, MTP or draft cost. */
  "speculative-needs-draft": (_: MessageParams, n: Namer) =>
    `give a draft model (${n.field("specDraft")}), ${n.field("specMtp")}, or the draft cost ratio (${n.field("specDraftCost")})`,
  /** field, needs, note? — one input requires another. */
  "field-needs-field": (p: MessageParams, n: Namer) =>
    `${n.field(str(p, "field"))} needs ${n.field(str(p, "needs"))}${p.note ? ` (${str(p, "note")})` : ""}`,
  /** setting, value, needs — an input value requires another input (`--goal train needs --tokens`). */
  "setting-needs-field": (p: MessageParams, n: Namer) =>
    `${n.setting(str(p, "setting"), str(p, "value"))} needs ${n.field(str(p, "needs"))}`,
  /** subject, fields: [a, b] — a feature that needs both inputs. */
  "needs-both": (p: MessageParams, n: Namer) =>
    `${str(p, "subject")} needs both ${and(list(p, "fields").map(n.field))}`,
  /** subject, field — a mode that needs one input. */
  "mode-needs-field": (p: MessageParams, n: Namer) => `${str(p, "subject")} needs ${n.field(str(p, "field"))}`,
  /** (none) — an open-loop simulation without a length. */
  "serve-needs-length": (_: MessageParams, n: Namer) =>
    `give ${n.arg("requests", "K")}, ${n.arg("duration", "S")} or ${n.arg("trace", "FILE")}`,
  /** (none) — a simulation without a load. */
  "serve-needs-load": (_: MessageParams, n: Namer) =>
    `give ${n.arg("rate", "R")} (requests per second), ${n.arg("concurrency", "N")} (closed loop) or ${n.arg("trace", "FILE")}`,
  /** (none) — a closed loop given open-loop inputs. */
  "closed-loop-conflict": (_: MessageParams, n: Namer) =>
    `${n.field("concurrency")} is a closed loop: drop ${and(["rate", "duration", "trace"].map(n.field))}`,
  /** (none) — compare without a training or serving workload. */
  "compare-needs-goal": (_: MessageParams, n: Namer) =>
    `give ${n.field("tokens")} and ${n.field("chips")} (training) or ${n.field("requestsPerDay")} with SLOs (serving)`,
  /** (none) — fleet without a volume. */
  "fleet-needs-volume": (_: MessageParams, n: Namer) =>
    `give the volume: ${n.arg("requestsPerDay", "Q")} or ${n.arg("requestsPerS", "R")}`,
  /** (none) — fleet given both volumes. */
  "fleet-one-volume": (_: MessageParams, n: Namer) =>
    `give ${n.field("requestsPerDay")} or ${n.field("requestsPerS")}, not both`,
  /** (none) — int4 asked for training. */
  "training-no-int4": () => "training has no int4 matmuls",
} as const satisfies Record<string, (p: MessageParams, n: Namer) => string>;

export type MessageCode = keyof typeof MESSAGES;

export const isMessageCode = (code: unknown): code is MessageCode => typeof code === "string" && code in MESSAGES;

/** The text of a coded message for an audience. */
export function messageText(code: MessageCode, params: MessageParams = {}, audience: Audience = "api"): string {
  return MESSAGES[code](params, NAMERS[audience]);
}

/** A zod custom issue carrying its code and params (rendered for the API by default; see `problemsFromZod`). */
export function codedIssue(path: readonly (string | number)[], code: MessageCode, params: MessageParams = {}) {
  return {
    code: "custom" as const,
    path: [...path],
    message: messageText(code, params, "api"),
    params: { messageCode: code, messageParams: params },
  };
}

/** Problems as an audience reads them: coded ones re-rendered, others unchanged. */
export function localizeProblems(problems: readonly Problem[], audience: Audience): Problem[] {
  return problems.map((p) => {
    const coded = p as Problem & { code?: string; params?: MessageParams };
    return isMessageCode(coded.code) ? { ...p, message: messageText(coded.code, coded.params, audience) } : p;
  });
}
