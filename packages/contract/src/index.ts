export * from "./catalog-views.ts";
export * from "./infer-plan.ts";
export * from "./numbers.ts";
export * from "./problems.ts";
export * from "./scenario.ts";
export * from "./serve-plan.ts";
export * from "./train-plan.ts";
export * from "./validation.ts";
