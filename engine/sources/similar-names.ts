// Pure: "did you mean…" for a table name that does not exist.

export interface QualifiedName {
  namespace: string;
  name: string;
}

/**
 * Up to `limit` names close to the wanted one (same name in another schema, other case, a typo or
 * two), best first.
 */
export function similarNames(
  wanted: QualifiedName,
  candidates: QualifiedName[],
  limit = 3,
): QualifiedName[] {
  const target = wanted.name.toLowerCase();
  const budget = Math.min(3, Math.max(1, Math.floor(target.length / 3)));
  const scored = candidates
    .map((candidate) => {
      const name = candidate.name.toLowerCase();
      let score: number;
      if (name === target) score = candidate.namespace === wanted.namespace ? 0 : 1;
      else {
        const distance = editDistance(name, target, budget);
        if (distance <= budget) score = 1 + distance;
        else if (target.length >= 3 && (name.includes(target) || target.includes(name)))
          score = 2 + budget;
        else return null;
      }
      return { candidate, score: score + (candidate.namespace === wanted.namespace ? 0 : 0.5) };
    })
    .filter((entry): entry is { candidate: QualifiedName; score: number } => entry !== null)
    .sort((a, b) => a.score - b.score || a.candidate.name.localeCompare(b.candidate.name));
  return scored.slice(0, limit).map((entry) => entry.candidate);
}

/**
 * Edit distance counting a swap of neighbours as one edit (optimal string alignment); gives up past
 * the budget.
 */
export function editDistance(a: string, b: string, budget = Infinity): number {
  if (Math.abs(a.length - b.length) > budget) return budget + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let value = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > budget) return budget + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
