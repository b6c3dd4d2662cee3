/**
 * Key layout of one namespace (the prefix). Every record key carries its customer id as the
 * hash tag `{<key>}`, so all records of one customer share a Redis Cluster slot and the
 * single-key write script runs wherever that slot lives.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {
    assertNoBraces('key prefix', prefix);
  }

  record(collection: string, key: string): string {
    if (key.includes('{') || key.includes('}'))
      throw new Error(
        `read-store key ${JSON.stringify(key)} contains a brace; it would break the hash tag`,
      );
    return `${this.prefix}record:${collection}:{${key}}`;
  }

  /** Sorted set of the collection's keys, all scored 0 so that ZRANGEBYLEX lists in key order. */
  index(collection: string): string {
    assertNoBraces('collection name', collection);
    return `${this.prefix}index:${collection}`;
  }

  /** SCAN pattern of every record key of a collection, whether or not it made the index. */
  recordPattern(collection: string): string {
    return `${this.prefix}record:${escapeGlob(collection)}:*`;
  }

  checkpoint(name: string): string {
    return `${this.prefix}checkpoint:${name}`;
  }

  /** Identity of the event store the checkpoint of the same name counts positions in. */
  binding(name: string): string {
    return `${this.prefix}binding:${name}`;
  }
}

function assertNoBraces(what: string, value: string): void {
  if (value.includes('{') || value.includes('}'))
    throw new Error(`${what} ${JSON.stringify(value)} must not contain braces (hash tags)`);
}

function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, '\\$&');
}
