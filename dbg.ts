import { checkAllClaims } from "@flopcast/contract";

for (const c of checkAllClaims())
  console.log(
    c.id.padEnd(24),
    c.verdict.padEnd(13),
    c.reproduced.toPrecision(4),
    c.unit,
    "|",
    c.explanation.slice(0, 400),
  );
