/**
 * Two arrays of keys, each sorted by code units, as one sorted array: how a store keeps its
 * keys in order when new ones arrive, without sorting them all again.
 */
export function mergeSorted(left: readonly string[], right: readonly string[]): string[] {
  const merged = new Array<string>(left.length + right.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < left.length && j < right.length)
    merged[k++] = right[j] < left[i] ? right[j++] : left[i++];
  while (i < left.length) merged[k++] = left[i++];
  while (j < right.length) merged[k++] = right[j++];
  return merged;
}
