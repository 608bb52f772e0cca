/** Levenshtein edit distance (two-row dynamic programme). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The `count` candidates closest to `query`: substring matches first, each group by edit distance. */
export function closest(query: string, candidates: readonly string[], count = 3): string[] {
  const q = query.toLowerCase();
  const SUBSTRING_BONUS = 1000;
  return [...candidates]
    .map((c) => ({ c, score: editDistance(q, c) - (c.includes(q) || q.includes(c) ? SUBSTRING_BONUS : 0) }))
    .sort((x, y) => x.score - y.score || x.c.localeCompare(y.c))
    .slice(0, count)
    .map((x) => x.c);
}
