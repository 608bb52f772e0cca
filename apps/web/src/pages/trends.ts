/** The Trends page; its view (trends-view.ts) loads as a separate chunk on first visit, so the entry stays in budget. */
import { lazyView, staticPage } from "./page.ts";

export const trendsPage = staticPage(
  "trends",
  "Trends",
  "How fast training compute grows: the dated training runs on a log scale, with doubling-time fits and their intervals.",
  lazyView(() => import("./trends-view.ts").then((m) => m.TrendsView), "Loading the training runs"),
);
