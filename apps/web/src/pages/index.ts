/** The pages in navigation order. */
import { claimsPage } from "./claims.ts";
import { comparePage } from "./compare.ts";
import { fleetPage } from "./fleet.ts";
import { hardwarePage } from "./hardware.ts";
import { inferPage } from "./infer.ts";
import type { Page } from "./page.ts";
import { searchPage } from "./search.ts";
import { servePage } from "./serve.ts";
import { trainPage } from "./train.ts";
import { trendsPage } from "./trends.ts";
import { validationPage } from "./validation.ts";

export type { Page };

export const PAGES: readonly Page[] = [
  trainPage,
  inferPage,
  servePage,
  fleetPage,
  comparePage,
  searchPage,
  claimsPage,
  trendsPage,
  hardwarePage,
  validationPage,
];
