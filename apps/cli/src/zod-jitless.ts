// A CLI call validates each schema once: zod's JIT (code generated per schema with `new Function`) costs more than it
// saves on a single parse. Imported first by the bundle's entries, before any schema parses.
import { config } from "zod";

config({ jitless: true });
