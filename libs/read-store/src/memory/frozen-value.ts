/**
 * Read-model values are plain JSON data (objects, arrays, strings, numbers, booleans, null):
 * the Redis store keeps them as JSON text. The memory store deeply freezes a value before it
 * shares it instead, which costs nothing to share and only a walk of the new parts.
 */

/**
 * Freezes a value in place, all the way down. A frozen object is taken as already done (this
 * freezes children before their parent): the projections return new states that share every
 * unchanged part with the stored one, so only what changed since the last freeze is walked.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  // Indexed and for-in walks: Object.keys would build an array of keys for every object.
  if (Array.isArray(value)) for (let i = 0; i < value.length; i += 1) deepFreeze(value[i]);
  else for (const key in value) deepFreeze(value[key]);
  return Object.freeze(value);
}

/** A mutable deep copy (faster than a JSON round trip: no text is built or parsed). */
export function thaw<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) copy[i] = thaw(value[i]);
    return copy as T;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = thaw((value as Record<string, unknown>)[key]);
  return copy as T;
}
