/** Distinct lists kept at most; past it a list is returned as it came (never an unbounded cache). */
const MAX_DISTINCT = 4_096;

const lists = new Map<string, readonly string[]>();

/**
 * One frozen array per distinct list of short codes (channels, churn reasons): 100,000 rows
 * hold a few dozen distinct combinations, so sharing them spares the collector two objects a
 * row (an array and its elements) that it would otherwise mark on every full collection.
 */
export function sharedList<T extends string>(values: readonly T[]): readonly T[] {
  const key = values.join('\u0000');
  const known = lists.get(key);
  if (known) return known as readonly T[];
  if (lists.size >= MAX_DISTINCT) return values;
  const list = Object.freeze(values.slice());
  lists.set(key, list);
  return list;
}
