// The bundle's `validate --serving` worker entry (apps/cli/scripts/build.ts): the pre-validated catalog first.
import "./bundled-catalog.ts";
import "./serving-worker.ts";
