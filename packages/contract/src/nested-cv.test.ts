import { describe, expect, test } from "vitest";
import { selectByGroupCv } from "./nested-cv.ts";

interface Row {
  readonly group: string;
  readonly y: number;
}
const rows: Row[] = [
  { group: "a", y: 2 },
  { group: "b", y: 2 },
  { group: "c", y: 4 },
];

describe("selectByGroupCv: choose a hyperparameter by leave-one-group-out on the given rows only", () => {
  test("picks the candidate with the lowest median |error| (hand-computed)", () => {
    // Candidate k predicts every held-out row as k: errors k/y − 1.
    // k = 1: −0.5, −0.5, −0.75 → median 0.5; k = 2: 0, 0, −0.5 → 0; k = 4: 1, 1, 0 → 1.
    const s = selectByGroupCv(
      rows,
      [1, 2, 4],
      (r) => r.group,
      (_, held, k) => held.map((r) => k / r.y - 1),
    );
    expect(s.value).toBe(2);
    expect(s.scores.map((x) => x.innerMedianAbsError)).toEqual([0.5, 0, 1]);
  });
  test("a held-out group is never in the rows its prediction is fitted on", () => {
    const seen: string[] = [];
    selectByGroupCv(
      rows,
      [0],
      (r) => r.group,
      (train, held) => {
        const heldGroups = new Set(held.map((r) => r.group));
        expect(heldGroups.size).toBe(1);
        for (const r of train) expect(heldGroups.has(r.group)).toBe(false);
        expect(train.length + held.length).toBe(rows.length);
        seen.push(...heldGroups);
        return held.map(() => 0);
      },
    );
    expect(seen).toEqual(["a", "b", "c"]);
  });
  test("ties go to the earlier candidate", () => {
    const s = selectByGroupCv(
      rows,
      [0.3, 0.1],
      (r) => r.group,
      (_, held) => held.map(() => 0.2),
    );
    expect(s.value).toBe(0.3);
  });
});
