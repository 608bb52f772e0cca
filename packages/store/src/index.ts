export * from "./sqlite-store.ts";
