// The bundle's sweep worker entry (apps/cli/scripts/build.ts): the pre-validated catalog first, then the worker.
import "./bundled-catalog.ts";
import "./sweep-worker.ts";
