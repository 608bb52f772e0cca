export * from "./catalog-views.ts";
export * from "./numbers.ts";
export * from "./problems.ts";
