#pragma once
// The Lua scripts behind the Redis backend's edits and reads (docs/formats/redis.md). Each runs
// atomically on the server: an edit never interleaves with another writer's, and a read chunk is
// one consistent snapshot in one round trip.
//
// Every script gets KEYS[1] = "<group>:sort_keys", KEYS[2] = "<group>:next_sk" and
// ARGV[1] = "<group>:row:"; its own arguments follow. Sort keys are decimal text, so '-' can
// never be one (erase marks rows with it before LREM).
#include <string>

namespace asebytes::redis_scripts {

// Helpers every script starts with: bounds-checked sort keys, and appending new sort keys.
inline const std::string kPrelude = R"lua(
local list, next_sk, prefix = KEYS[1], KEYS[2], ARGV[1]
local n = redis.call('LLEN', list)
local function sort_key(i)
  if i < 0 or i >= n then
    error({err = 'IndexError: index ' .. i .. ' out of range for ' .. n .. ' rows'})
  end
  return redis.call('LINDEX', list, i)
end
local function append_keys(count)
  local last = redis.call('INCRBY', next_sk, count)
  local first = last - count
  local batch = {}
  for k = first, last - 1 do
    batch[#batch + 1] = tostring(k)
    if #batch == 1000 or k == last - 1 then
      redis.call('RPUSH', list, unpack(batch))
      batch = {}
    end
  end
  n = n + count
end
)lua";

/// ARGV[2] = number of keys k, or '*' for every field; ARGV[3 .. 2+k] = the keys; then the row
/// indices. Per row: false for a placeholder; else HGETALL's flat list (all fields) or the k
/// values in key order, false where a field is absent.
inline const std::string kGetRows = kPrelude + R"lua(
local all = ARGV[2] == '*'
local first = all and 3 or 3 + tonumber(ARGV[2])
local out = {}
for a = first, #ARGV do
  local row = prefix .. sort_key(tonumber(ARGV[a]))
  if redis.call('EXISTS', row) == 0 then
    out[#out + 1] = false
  elseif all then
    out[#out + 1] = redis.call('HGETALL', row)
  elseif first == 3 then
    out[#out + 1] = {}
  else
    out[#out + 1] = redis.call('HMGET', row, unpack(ARGV, 3, first - 1))
  end
end
return out
)lua";

/// ARGV[2] = 'set' (replace rows; past the end appends, padding with placeholders) or 'update'
/// (merge fields); ARGV[3] = first row; then per row a field count c (-1: a placeholder) and c
/// field/value pairs.
inline const std::string kWriteRows = kPrelude + R"lua(
local replace = ARGV[2] == 'set'
local index = tonumber(ARGV[3])
local a = 4
while a <= #ARGV do
  local count = tonumber(ARGV[a])
  if replace and index >= n then append_keys(index - n + 1) end
  local row = prefix .. sort_key(index)
  if replace then redis.call('DEL', row) end
  if count > 0 then redis.call('HSET', row, unpack(ARGV, a + 1, a + 2 * count)) end
  a = a + 1 + 2 * math.max(count, 0)
  index = index + 1
end
return n
)lua";

/// ARGV[2] = position (clamped to the length); ARGV[3..] = field/value pairs (none: placeholder).
inline const std::string kInsert = kPrelude + R"lua(
local index = math.min(tonumber(ARGV[2]), n)
local sk = tostring(redis.call('INCR', next_sk) - 1)
redis.call('DEL', prefix .. sk)
if #ARGV >= 3 then redis.call('HSET', prefix .. sk, unpack(ARGV, 3)) end
if index == n then
  redis.call('RPUSH', list, sk)
elseif index == 0 then
  redis.call('LPUSH', list, sk)
else
  redis.call('LINSERT', list, 'BEFORE', redis.call('LINDEX', list, index), sk)
end
return n + 1
)lua";

/// Removes rows [ARGV[2], ARGV[3]) and their hashes.
inline const std::string kErase = kPrelude + R"lua(
local start, stop = tonumber(ARGV[2]), tonumber(ARGV[3])
if start >= stop then return n end
sort_key(start)
sort_key(stop - 1)
local keys = redis.call('LRANGE', list, start, stop - 1)
for _, sk in ipairs(keys) do redis.call('DEL', prefix .. sk) end
if stop - start == 1 then
  redis.call('LREM', list, 1, keys[1])
else
  for i = start, stop - 1 do redis.call('LSET', list, i, '-') end
  redis.call('LREM', list, 0, '-')
end
return n - (stop - start)
)lua";

/// The field names of row ARGV[2] (none for a placeholder).
inline const std::string kKeys = kPrelude + R"lua(
return redis.call('HKEYS', prefix .. sort_key(tonumber(ARGV[2])))
)lua";

/// ARGV[2] = number of keys k; ARGV[3 .. 2+k] = the keys; then the rows, or none for every row.
inline const std::string kDropKeys = kPrelude + R"lua(
local first = 3 + tonumber(ARGV[2])
local keys = {unpack(ARGV, 3, first - 1)}
local function drop(sk) redis.call('HDEL', prefix .. sk, unpack(keys)) end
if first > #ARGV then
  for _, sk in ipairs(redis.call('LRANGE', list, 0, -1)) do drop(sk) end
else
  for a = first, #ARGV do drop(sort_key(tonumber(ARGV[a]))) end
end
return n
)lua";

/// Deletes every listed row hash, the list and the counter (as Python asebytes' clear()).
inline const std::string kClear = kPrelude + R"lua(
for _, sk in ipairs(redis.call('LRANGE', list, 0, -1)) do redis.call('DEL', prefix .. sk) end
redis.call('DEL', list, next_sk)
return 0
)lua";

} // namespace asebytes::redis_scripts
