/** The Claims page; its view (claims-view.ts) loads as a separate chunk on first visit, so the entry stays in budget. */
import { lazyView, staticPage } from "./page.ts";

export const claimsPage = staticPage(
  "claims",
  "Claims",
  "Numbers from articles and papers, recomputed from the catalog and the models: does the claim hold?",
  lazyView(() => import("./claims-view.ts").then((m) => m.ClaimsView), "Loading the claims"),
);
