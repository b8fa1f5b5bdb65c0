// Grouping a batch's keys: keys in one group share one statement.

/** `items` by `idOf`, each group in the order its items came. */
export function groupBy<T>(items: readonly T[], idOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const id = idOf(item);
    const group = groups.get(id);
    if (group) group.push(item);
    else groups.set(id, [item]);
  }
  return groups;
}
