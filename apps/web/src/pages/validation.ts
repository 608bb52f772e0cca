/** The Validation page; its view (validation-view.ts) loads as a separate chunk on first visit, so the entry stays in budget. */
import { lazyView, staticPage } from "./page.ts";

export const validationPage = staticPage(
  "validation",
  "Validation",
  "Every published measurement in the ledger against the model's prediction.",
  lazyView(() => import("./validation-view.ts").then((m) => m.ValidationView), "Loading the validation ledger"),
);
