/**
 * The scenario date (issue #15 item 5): prices, their ages and staleness are read "as of" one date, and that date
 * comes from one injected context. Core and catalog never read the clock; each adapter reads it once through
 * `clockToday()` (CLI per call, API per request, web per computation) and passes it down as `today`.
 */

/**
 * The date used when no adapter injects one (tests, docs examples, library callers that give none): the day the
 * price catalog was last refreshed (packages/catalog/data/prices, records imported 2026-11-23), so a default
 * scenario prices with the freshest records and stays reproducible.
 */
export const DEFAULT_SCENARIO_DATE = "2026-11-23";

/** Today's date (UTC, YYYY-MM-DD): the one clock read of every adapter. */
export const clockToday = (now: Date = new Date()): string => now.toISOString().slice(0, 10);
