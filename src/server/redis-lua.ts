/**
 * The Lua scripts behind `RedisSessionStore`: each store call is one script,
 * so each is atomic against every other process's calls (Redis runs one
 * script at a time), and each checks the session's epoch before it writes.
 *
 * Keys, for session S with the store's prefix P (the `{S}` hash tag keeps a
 * session's keys in one Redis Cluster slot):
 * - KEYS[1] `P{S}`: the record, a hash (user, epoch, sent, acknowledged,
 *   received, expiresAt, and overflow once `enqueue` hit its limit);
 * - KEYS[2] `P{S}:frames`: the unacknowledged data frames, a stream whose
 *   entry ids are the frame numbers (`K-0`) and whose field `f` is the
 *   frame text;
 * - KEYS[3] `P{S}:queue`: messages other processes sent, not numbered yet, a
 *   list of JSON texts.
 * The record's pub/sub channel is `P{S}` too (channels and keys are apart).
 */

/** Shared head: the epoch check every write starts with. */
const OWNER = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if epoch ~= ARGV[1] then return 0 end
`;

/** A released session's keys expire together; a key made after its release gets the same expiry. */
const EXPIRE_LIKE_RECORD = `
local function expireLikeRecord(key)
  local at = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
  if at and at > 0 then redis.call('PEXPIREAT', key, at) end
end
`;

export const scripts = {
  /** ARGV: user, epoch, sent, acknowledged, received, expiresAt (0: none), then s, frame pairs. */
  create: `
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], 'user', ARGV[1], 'epoch', ARGV[2], 'sent', ARGV[3],
  'acknowledged', ARGV[4], 'received', ARGV[5], 'expiresAt', ARGV[6])
for i = 7, #ARGV, 2 do redis.call('XADD', KEYS[2], ARGV[i] .. '-0', 'f', ARGV[i + 1]) end
local at = tonumber(ARGV[6])
if at > 0 then
  redis.call('PEXPIREAT', KEYS[1], at)
  redis.call('PEXPIREAT', KEYS[2], at)
end
return 1
`,

  /** The record (a flat HGETALL) and its frames (XRANGE), or nil. */
  load: `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
return { redis.call('HGETALL', KEYS[1]), redis.call('XRANGE', KEYS[2], '-', '+') }
`,

  /** ARGV: epoch, channel. Raises the epoch, keeps the keys, tells the previous owner; the record as load's. */
  claim: `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if epoch ~= ARGV[1] then return nil end
local raised = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
redis.call('HSET', KEYS[1], 'expiresAt', 0)
redis.call('PERSIST', KEYS[1])
redis.call('PERSIST', KEYS[2])
redis.call('PERSIST', KEYS[3])
redis.call('PUBLISH', ARGV[2], 'e' .. raised)
return { redis.call('HGETALL', KEYS[1]), redis.call('XRANGE', KEYS[2], '-', '+') }
`,

  /** ARGV: epoch, s, frame. */
  append: `${OWNER}${EXPIRE_LIKE_RECORD}
redis.call('XADD', KEYS[2], ARGV[2] .. '-0', 'f', ARGV[3])
redis.call('HSET', KEYS[1], 'sent', ARGV[2])
expireLikeRecord(KEYS[2])
return 1
`,

  /** ARGV: epoch, ack. Trims the frames the acknowledgement covers (ids below ack + 1). */
  acknowledge: `${OWNER}
local ack = tonumber(ARGV[2])
if ack > tonumber(redis.call('HGET', KEYS[1], 'acknowledged')) then
  redis.call('HSET', KEYS[1], 'acknowledged', ack)
  redis.call('XTRIM', KEYS[2], 'MINID', (ack + 1) .. '-0')
end
return 1
`,

  /** ARGV: epoch, received. */
  receive: `${OWNER}
redis.call('HSET', KEYS[1], 'received', ARGV[2])
return 1
`,

  /** ARGV: epoch, expiresAt. */
  release: `${OWNER}
redis.call('HSET', KEYS[1], 'expiresAt', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('PEXPIREAT', KEYS[2], ARGV[2])
redis.call('PEXPIREAT', KEYS[3], ARGV[2])
return 1
`,

  /** ARGV: epoch. 0 only when another epoch holds the session. */
  delete: `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if epoch and epoch ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return 1
`,

  /** ARGV: data, limit, channel. 1 queued, 0 unknown session, 2 overflow. */
  enqueue: `${EXPIRE_LIKE_RECORD}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local result = 1
if redis.call('HGET', KEYS[1], 'overflow') == '1' then
  result = 2
elseif redis.call('XLEN', KEYS[2]) + redis.call('LLEN', KEYS[3]) >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'overflow', 1)
  result = 2
else
  redis.call('RPUSH', KEYS[3], ARGV[1])
  expireLikeRecord(KEYS[3])
end
redis.call('PUBLISH', ARGV[3], 'q')
return result
`,

  /**
   * ARGV: epoch, sent, room. Numbers up to room queued messages sent + 1 …,
   * appends them as frames and drops them from the queue, in one step:
   * { 1, overflow (0 or 1), frame texts… }, or 0 when another epoch holds it.
   */
  takeQueued: `${OWNER}${EXPIRE_LIKE_RECORD}
local sent = tonumber(ARGV[2])
local room = tonumber(ARGV[3])
local result = { 1, 0 }
local taken = {}
if room > 0 then taken = redis.call('LRANGE', KEYS[3], 0, room - 1) end
for i, data in ipairs(taken) do
  local s = sent + i
  local frame = '{"t":"m","s":' .. s .. ',"d":' .. data .. '}'
  redis.call('XADD', KEYS[2], s .. '-0', 'f', frame)
  result[#result + 1] = frame
end
if #taken > 0 then
  redis.call('LTRIM', KEYS[3], #taken, -1)
  redis.call('HSET', KEYS[1], 'sent', sent + #taken)
  expireLikeRecord(KEYS[2])
end
if redis.call('HGET', KEYS[1], 'overflow') == '1' or redis.call('LLEN', KEYS[3]) > 0 then result[2] = 1 end
return result
`,
} as const;

export type ScriptName = keyof typeof scripts;
