// What membership keeps in Redis, and the Lua scripts that change it: each script is one
// atomic step (a room's keys share one Cluster slot through the {roomId} hash tag, which a
// script needs), so the cap, the name check and the write cannot interleave with another
// node's. The behaviour around them (who calls what, when, and what a failure means) is
// membership-redis.ts's, and its parts' (its header lists them).
//
// Layout (the {roomId} hash tag keeps a room's two keys in one Cluster slot, which a script
// needs; rooms spread over the shards):
//   roomlink:{R}:members   hash  peerId → "node \t socket \t nameKeys \t name \t keys"
//   roomlink:{R}:names     hash  nameKey → peerId, for each key of each member's name
//   roomlink:{R}:away      hash  peerId → "until(ms) \t nameKeys [\t 1]": members swept with their
//                                node, whose names stay theirs until then, and (with the 1)
//                                members gone without a goodbye, whose seats stay theirs too
//                                (LEAVE's hold; expires with the last)
//   roomlink:{nodes}                   set of node ids that hold or held members
//   roomlink:{nodes}:alive:N           set with an expiry, refreshed by node N every second
//   roomlink:node:N:rooms              set of rooms where node N has (had) members
//   roomlink:node:N:sweeping           a sweep of node N is under way (lock, with an expiry)
//   roomlink:node:N:swept              node N was swept (kept until N comes back, or a day)
//   roomlink:node:N:shut-down          node N stops on purpose (a SIGTERM): its sweep says so
//                                      (kept until it is swept, or a day)
// (Names cannot contain a tab: normalizeName refuses control characters.) A name has one or
// two keys (protocol/name-skeleton.ts keysWithSkeleton), joined by a line break in "nameKeys"
// (storedNameKeys; no key holds one: white space in a key is made a space). A record written
// before names had two keys (before 2026-12-08) holds one, the first of today's: it reads as a
// name with that key alone.

import type { NameKeys } from '../protocol/name-skeleton.ts';

const PREFIX = 'roomlink';

/** A name's keys as a record keeps them, and as the scripts take them (ARGV's nameKeys). */
export const storedNameKeys = (keys: NameKeys): string => keys.join('\n');

export const membersKey = (roomId: string) => `${PREFIX}:{${roomId}}:members`;
export const namesKey = (roomId: string) => `${PREFIX}:{${roomId}}:names`;
export const awayKey = (roomId: string) => `${PREFIX}:{${roomId}}:away`;
/** The {nodes} hash tag puts every heartbeat in one slot (membership-liveness.ts says why). */
export const NODES_KEY = `${PREFIX}:{nodes}`;
export const aliveKey = (node: string) => `${PREFIX}:{nodes}:alive:${node}`;
export const roomsKey = (node: string) => `${PREFIX}:node:${node}:rooms`;
/** A join taking this peer id back with its ticket (claimResume): in the room's hash slot. */
export const resumingKey = (roomId: string, peerId: string) => `${PREFIX}:{${roomId}}:resuming:${peerId}`;
// KEYS: the claim. ARGV: the socket, the claim's life (ms). Returns -1 if claimed, else how
// long the claim that stands has left (ms).
export const CLAIM_RESUME =
  "if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return -1 end return redis.call('PTTL', KEYS[1])";
// KEYS: the claim. ARGV: the socket. Ends the claim if that socket still holds it.
export const END_RESUME =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
export const sweepLockKey = (node: string) => `${PREFIX}:node:${node}:sweeping`;
export const sweptKey = (node: string) => `${PREFIX}:node:${node}:swept`;
export const shutDownKey = (node: string) => `${PREFIX}:node:${node}:shut-down`;

// Lua shared by the scripts below (KEYS: members, names, away). A member gives up the name it
// holds in the index, key by key: the index passes to another member here whose name has that
// key, if any, else the entry goes. Two members hold one name only after an outage, when two
// nodes admitted it apart (ADMIT's write-back below); without this, the first to leave freed
// the name while the other still held it, and a third took it with Redis up, for good. It
// reads the room (at most the cap's few hundred entries) only when the leaver held the entry.
export const RELEASE = String.raw`
-- The keys of a record's nameKeys (storedNameKeys: joined by line breaks), and whether a key is one.
local function eachKey(keys) return string.gmatch(keys, '[^\n]+') end
local function hasKey(keys, key)
  for one in eachKey(keys) do if one == key then return true end end
  return false
end
local function releaseKey(key, peer)
  if redis.call('HGET', KEYS[2], key) ~= peer then return end
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    if all[i] ~= peer and hasKey(string.match(all[i + 1], '^[^\t]*\t[^\t]*\t([^\t]*)\t') or '', key) then
      redis.call('HSET', KEYS[2], key, all[i])
      return
    end
  end
  redis.call('HDEL', KEYS[2], key)
end
-- The peer gives up the keys of a name (nameKeys), but those it keeps (nameKeys too, or nil).
local function release(keys, peer, kept)
  for key in eachKey(keys) do
    if not (kept and hasKey(kept, key)) then releaseKey(key, peer) end
  end
end
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- Whether the holder of a name in the index still holds it: a member, or a member away
-- (swept with its node, or gone without a goodbye: LEAVE) whose hold has not ended.
local function holds(holder)
  if redis.call('HEXISTS', KEYS[1], holder) == 1 then return true end
  local away = redis.call('HGET', KEYS[3], holder)
  return away ~= false and tonumber(string.match(away, '^([^\t]*)')) > nowMs()
end
-- Another member that holds a key of these, if any (a member, or one away whose hold stands).
local function takenBy(keys, peer)
  for key in eachKey(keys) do
    local holder = redis.call('HGET', KEYS[2], key)
    if holder and holder ~= peer and holds(holder) then return holder end
  end
  return nil
end
-- The peer is back (a resume, its node's write-back): its hold ends, and the name it held,
-- if it comes back under another, is given up (the keys the two names do not share).
local function back(peer, keys)
  local away = redis.call('HGET', KEYS[3], peer)
  if not away then return end
  redis.call('HDEL', KEYS[3], peer)
  release(string.match(away, '^[^\t]*\t([^\t]*)'), peer, keys)
end
-- Whether this away record holds its member's seat (LEAVE's hold), and has not ended.
local function holdsSeat(away, now)
  return string.match(away, '^[^\t]*\t[^\t]*\t1$') ~= nil and tonumber(string.match(away, '^([^\t]*)')) > now
end
-- The seats held by members gone without a goodbye, but the peer's own; the holds that ended
-- go, with their names. Reads the away hash (a few entries: each was a member's seat).
local function heldSeats(peer)
  local now = nowMs()
  local count = 0
  local all = redis.call('HGETALL', KEYS[3])
  for i = 1, #all, 2 do
    local untilMs, keys = string.match(all[i + 1], '^([^\t]*)\t([^\t]*)')
    if tonumber(untilMs) <= now then
      redis.call('HDEL', KEYS[3], all[i])
      release(keys, all[i])
    elseif all[i] ~= peer and holdsSeat(all[i + 1], now) then
      count = count + 1
    end
  end
  return count
end
`;

// KEYS: members, names, away. ARGV: peer, name, nameKeys, node, socket, cap, force ('1': a
// write-back, no cap or name check), keys (the announced keys, as stored; '' for none),
// returning ('1': a member back after a node's restart, returning.ts: no cap check, names
// checked as ever). The cap counts the seats held for members gone without a goodbye (LEAVE),
// but for the peer's own hold, which seats it.
// Returns {'ok', HGETALL members} | {'room_full'} | {'name_taken', HKEYS names, holder} |
// {'held'}: a write-back found the peer id held by another node's or socket's entry (a
// resume there while this node was away from Redis): that entry stays, and this node's
// connection is the replaced one. A write-back leaves the name index to another member
// here who holds the name too (two nodes admitted it apart): both keep it (RELEASE). A name
// is taken when another holds any of its keys.
export const ADMIT = `${RELEASE}${String.raw`
local force = ARGV[7] == '1'
local old = redis.call('HGET', KEYS[1], ARGV[1])
if force then
  if old then
    local node, sock = string.match(old, '^([^\t]*)\t([^\t]*)\t')
    if node ~= ARGV[4] or sock ~= ARGV[5] then return {'held'} end
  end
else
  local holder = takenBy(ARGV[3], ARGV[1])
  if holder then return {'name_taken', redis.call('HKEYS', KEYS[2]), holder} end
end
if old then
  local _, _, oldKeys = string.match(old, '^([^\t]*)\t([^\t]*)\t([^\t]*)\t')
  release(oldKeys, ARGV[1], ARGV[3])
elseif not force and ARGV[9] ~= '1' then
  local own = redis.call('HGET', KEYS[3], ARGV[1])
  local cap = tonumber(ARGV[6])
  local seated = redis.call('HLEN', KEYS[1])
  -- The away hash read only when it could make the difference.
  if not (own and holdsSeat(own, nowMs())) and seated + redis.call('HLEN', KEYS[3]) >= cap
    and seated + heldSeats(ARGV[1]) >= cap then
    return {'room_full'}
  end
end
back(ARGV[1], ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4] .. '\t' .. ARGV[5] .. '\t' .. ARGV[3] .. '\t' .. ARGV[2] .. '\t' .. ARGV[8])
for key in eachKey(ARGV[3]) do
  local holder = redis.call('HGET', KEYS[2], key)
  if not (holder and holder ~= ARGV[1] and redis.call('HEXISTS', KEYS[1], holder) == 1) then
    redis.call('HSET', KEYS[2], key, ARGV[1])
  end
end
return {'ok', redis.call('HGETALL', KEYS[1])}
`}`;

// KEYS: members, names, away. ARGV: peer, socket, name, nameKeys.
// Returns {'ok'} | {'not_in_room'} | {'name_taken', HKEYS names, holder}.
export const RENAME = `${RELEASE}${String.raw`
local rec = redis.call('HGET', KEYS[1], ARGV[1])
if not rec then return {'not_in_room'} end
local node, sock, oldKeys = string.match(rec, '^([^\t]*)\t([^\t]*)\t([^\t]*)\t')
if sock ~= ARGV[2] then return {'not_in_room'} end
local holder = takenBy(ARGV[4], ARGV[1])
if holder then return {'name_taken', redis.call('HKEYS', KEYS[2]), holder} end
release(oldKeys, ARGV[1], ARGV[4])
local keys = string.match(rec, '^[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t([^\t]*)$') or ''
redis.call('HSET', KEYS[1], ARGV[1], node .. '\t' .. sock .. '\t' .. ARGV[4] .. '\t' .. ARGV[3] .. '\t' .. keys)
for key in eachKey(ARGV[4]) do redis.call('HSET', KEYS[2], key, ARGV[1]) end
return {'ok'}
`}`;

// KEYS: members, names, away. ARGV: peer, socket, hold (ms; absent or '0': none). Returns 1
// if removed (that socket held it), 0 if another socket holds the peer id, -1 if nobody
// does. With a hold, the seat stays the peer's until it ends (away, with its 1); its name is
// free at once, as without one (the same person in a new tab asks for it, most often).
export const LEAVE = `${RELEASE}${String.raw`
local rec = redis.call('HGET', KEYS[1], ARGV[1])
if not rec then return -1 end
local _, sock, nameKeys = string.match(rec, '^([^\t]*)\t([^\t]*)\t([^\t]*)\t')
if sock ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
local hold = tonumber(ARGV[3] or '0') or 0
release(nameKeys, ARGV[1])
if hold > 0 then
  redis.call('HSET', KEYS[3], ARGV[1], string.format('%d', nowMs() + hold) .. '\t' .. nameKeys .. '\t1')
  if redis.call('PTTL', KEYS[3]) < hold then redis.call('PEXPIRE', KEYS[3], hold) end
end
return 1
`}`;

// KEYS: members, names, away. ARGV: node, how long their names are held for them (ms; '0':
// given up at once), then the sockets of that node to keep.
// Removes the node's other entries in the room; returns their peer ids.
export const SWEEP = `${RELEASE}${String.raw`
local hold = tonumber(ARGV[2])
local keep = {}
for i = 3, #ARGV do keep[ARGV[i]] = true end
local removed = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local node, sock, nameKeys = string.match(all[i + 1], '^([^\t]*)\t([^\t]*)\t([^\t]*)\t')
  if node == ARGV[1] and not keep[sock] then
    redis.call('HDEL', KEYS[1], all[i])
    if hold > 0 then
      redis.call('HSET', KEYS[3], all[i], string.format('%d', nowMs() + hold) .. '\t' .. nameKeys)
    else
      release(nameKeys, all[i])
    end
    removed[#removed + 1] = all[i]
  end
end
if hold > 0 and #removed > 0 then redis.call('PEXPIRE', KEYS[3], hold) end
return removed
`}`;

// KEYS: members, names. Returns HGETALL members (a read outside a join).
export const MEMBERS = "return redis.call('HGETALL', KEYS[1])";
