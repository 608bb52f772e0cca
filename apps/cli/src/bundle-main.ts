// The bundle's command-line entry (apps/cli/scripts/build.ts): the pre-validated catalog first, then the CLI.
import "./bundled-catalog.ts";
import "./main.ts";
