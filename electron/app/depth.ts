/**
 * True when `value` nests objects or arrays deeper than `limit`. Iterative, and it stops at the first branch that
 * goes too deep: schema validation and most other code recurse, so a request nested 100,000 deep would overflow
 * the stack there (a profile is at most a few levels deep; requests are checked before anything else reads them).
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const work: [unknown, number][] = [[value, 0]];
  const seen = new Set<object>();
  for (let next = work.pop(); next; next = work.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== "object" || seen.has(item)) continue;
    if (depth >= limit) return true;
    seen.add(item);
    for (const child of Object.values(item)) work.push([child, depth + 1]);
  }
  return false;
}
