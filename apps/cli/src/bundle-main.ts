// The bundle's command-line entry (apps/cli/scripts/build.ts): zod without its JIT and the pre-validated catalog
// first, then the CLI.
import "./zod-jitless.ts";
import "./bundled-catalog.ts";
import "./main.ts";
