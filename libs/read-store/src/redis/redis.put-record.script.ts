import type { Result } from 'ioredis';

/**
 * Writes one record hash (`p` position, `v` JSON value) unless the stored position is already
 * at or beyond the incoming one; returns 1 when written, 0 when skipped. One key only, so the
 * compare-and-set is atomic on a single node and on Redis Cluster alike.
 *
 * Positions travel as canonical decimal strings (BigInt#toString: no sign, no leading zeros),
 * compared by length and then lexically: Lua numbers are doubles and would round above 2^53.
 */
export const PUT_RECORD_IF_NEWER_LUA = `
local stored = redis.call('HGET', KEYS[1], 'p')
if stored then
  local incoming = ARGV[1]
  if #stored > #incoming or (#stored == #incoming and stored >= incoming) then
    return 0
  end
end
redis.call('HSET', KEYS[1], 'p', ARGV[1], 'v', ARGV[2])
return 1
`;

export const PUT_RECORD_IF_NEWER = 'rapportPutRecordIfNewer';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    rapportPutRecordIfNewer(
      recordKey: string,
      position: string,
      json: string,
    ): Result<number, Context>;
  }
}
