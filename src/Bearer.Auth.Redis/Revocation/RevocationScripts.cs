namespace Bearer.Auth.Redis;

/// <summary>
/// The revocation store's Lua scripts. Keys (under the prefix): <c>rv:epoch</c> (a random id, set by the first write
/// after the data was lost or expired), <c>rv:version</c> (a counter, one per write), <c>rv:log</c> (a sorted set of
/// entries scored by version) and <c>rv:until</c> (the same entries scored by their end, in Unix milliseconds, for
/// trimming). An entry is <c>version|kind|since|until|key</c>: kind <c>t</c>, <c>s</c> or <c>u</c>, the subject
/// cut-off and the end in UTC ticks (kept as text: Lua's numbers would round them), then the key, which may hold
/// <c>|</c>. Each write publishes <c>epoch|entry</c> on <c>rv:events</c>.
/// </summary>
internal static class RevocationScripts
{
    /// <summary>
    /// Adds one entry and publishes it, in one atomic step. KEYS: epoch, version, log, until. ARGV: a fresh epoch (used
    /// when none is set, or when the counter or the log is gone while the epoch is not: eviction, which would hand out
    /// versions again under the same epoch), kind, since, until (ticks), key, now and until (Unix ms, the writer's
    /// clock), channel. The epoch is set before anything is deleted, so a Redis out of memory refuses the whole script.
    /// Trims up to 256 ended entries, then sets every key to expire with the latest end still held (durations from the
    /// writer's clock, so Redis's own clock does not matter). Returns <c>{epoch, version}</c> of the entry.
    /// </summary>
    internal const string Write = """
        local epoch = redis.call('GET', KEYS[1])
        if not epoch or redis.call('EXISTS', KEYS[2], KEYS[3]) < 2 then
          epoch = ARGV[1]
          redis.call('SET', KEYS[1], epoch)
          redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
        end
        local version = redis.call('INCR', KEYS[2])
        local entry = version .. '|' .. ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[4] .. '|' .. ARGV[5]
        redis.call('ZADD', KEYS[3], version, entry)
        redis.call('ZADD', KEYS[4], ARGV[7], entry)
        local ended = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ARGV[6], 'LIMIT', 0, 256)
        if #ended > 0 then
          redis.call('ZREM', KEYS[3], unpack(ended))
          redis.call('ZREM', KEYS[4], unpack(ended))
        end
        local last = redis.call('ZRANGE', KEYS[4], -1, -1, 'WITHSCORES')
        local ttl = math.max(1, math.ceil(tonumber(last[2]) - tonumber(ARGV[6])))
        for i = 1, 4 do
          redis.call('PEXPIRE', KEYS[i], ttl)
        end
        redis.call('PUBLISH', ARGV[8], epoch .. '|' .. entry)
        return {epoch, version}
        """;

    /// <summary>
    /// Reads what a view needs to be current, in one atomic step. KEYS: epoch, version, log. ARGV: the view's epoch and
    /// version, <c>1</c> to ask for every entry, and the entry the view holds at its version (empty when unknown).
    /// Returns <c>{epoch, version, full, entries}</c>: with the same epoch, the entries after the view's version
    /// (<c>full</c> 0); otherwise every entry, with <c>full</c> saying why: 1, another epoch (the data was replaced,
    /// lost, or all of it ended); 2, the same epoch gone back (a version lower than the view's, or another entry at the
    /// view's version: Redis restarted without its last writes, failed over to a lagging replica, or lost keys, and
    /// hands out versions the view already holds); 3, asked for. An absent epoch reads as the empty string, with no
    /// entries.
    /// </summary>
    internal const string Sync = """
        local epoch = redis.call('GET', KEYS[1]) or ''
        local version = tonumber(redis.call('GET', KEYS[2]) or '0')
        local from = ARGV[2]
        local full = 0
        if epoch ~= ARGV[1] then
          full = 1
        elseif version < tonumber(from) then
          full = 2
        elseif ARGV[4] ~= '' then
          local held = redis.call('ZRANGEBYSCORE', KEYS[3], from, from)
          if held[1] and held[1] ~= ARGV[4] then
            full = 2
          end
        end
        if full == 0 and ARGV[3] == '1' then
          full = 3
        end
        if full ~= 0 then
          from = '0'
        end
        local entries = {}
        if epoch ~= '' and version > tonumber(from) then
          entries = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. from, '+inf')
        end
        return {epoch, version, full, entries}
        """;
}
