namespace Bearer.Auth.Redis;

/// <summary>
/// The Lua scripts of <see cref="RedisRefreshTokenStore"/>: each operation is one script, so it reads, decides and
/// writes atomically in one round trip (Redis runs one script at a time). The layout under the prefix <c>p</c>:
/// <list type="bullet">
/// <item><c>{p}rt:s:{sid}</c>, a hash: <c>sub</c>, <c>cli</c>, <c>cr</c> (created), <c>ex</c> (session end),
/// <c>cur</c> and <c>prev</c> (token hashes), <c>seal</c> (the sealed successor of <c>prev</c>), <c>ge</c> (grace end),
/// <c>te</c> (when <c>cur</c> expires unused), <c>rv</c> (<c>1</c> once revoked), <c>ap</c> (<c>1</c> from the revocation
/// until its access tokens are marked revoked); it expires with <c>cur</c>.</item>
/// <item><c>{p}rt:h:{sid}</c>, a list: the session's remembered token hashes, oldest first; it expires with <c>cur</c>.</item>
/// <item><c>{p}rt:t:{hash}</c>, a string: the <c>sid</c> holding the token; it expires at the session's end.</item>
/// <item><c>{p}rt:u:{sub}</c>, a set: the subject's <c>sid</c>s; it expires at the latest end among them.</item>
/// </list>
/// Times are milliseconds since the Unix epoch on the caller's clock, passed in; never Redis's <c>TIME</c>. Expiries
/// are set as durations from that "now" (<c>PEXPIRE</c>), so Redis's clock only has to tick at the same rate, and a key
/// outlives its deadline by <see cref="RedisRefreshTokenStore.KeptAfterExpiry"/>.
/// </summary>
/// <remarks>
/// Keys are derived inside the scripts from the <c>sid</c> a token points at, so they need one Redis (or a primary
/// and its replicas), not a cluster that shards keys. A script writes only after every check has passed: Redis does
/// not undo a script's writes when it fails half-way.
/// </remarks>
internal static class RefreshTokenScripts
{
    /// <summary>The outcome codes the rotation script answers with.</summary>
    internal const int Unknown = 0, Rotated = 1, Retried = 2, Expired = 3, Reused = 4, Revoked = 5, WrongClient = 6, SuccessorTaken = 7;

    /// <summary>
    /// KEYS: session, first token, history, subject. ARGV: sid, sub, client, token hash, now, token expiry, session
    /// end, session key prefix, how long keys outlive their deadline. Answers 0 when created, 1 when the sid is taken,
    /// 2 when the token hash is. Also forgets the subject's ended sessions, so its index does not grow with every sign-in.
    /// </summary>
    internal const string Create = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
        if redis.call('EXISTS', KEYS[2]) == 1 then return 2 end
        local now = tonumber(ARGV[5])
        local idle = tonumber(ARGV[6]) - now + tonumber(ARGV[9])
        local lasts = tonumber(ARGV[7]) - now + tonumber(ARGV[9])
        redis.call('HSET', KEYS[1], 'sub', ARGV[2], 'cli', ARGV[3], 'cr', ARGV[5], 'ex', ARGV[7], 'cur', ARGV[4], 'te', ARGV[6])
        redis.call('PEXPIRE', KEYS[1], idle)
        redis.call('RPUSH', KEYS[3], ARGV[4])
        redis.call('PEXPIRE', KEYS[3], idle)
        redis.call('SET', KEYS[2], ARGV[1], 'PX', lasts)
        for _, sid in ipairs(redis.call('SMEMBERS', KEYS[4])) do
          if redis.call('EXISTS', ARGV[8] .. sid) == 0 then redis.call('SREM', KEYS[4], sid) end
        end
        redis.call('SADD', KEYS[4], ARGV[1])
        if redis.call('PTTL', KEYS[4]) < lasts then redis.call('PEXPIRE', KEYS[4], lasts) end
        return 0
        """;

    /// <summary>
    /// The decision of <see cref="Bearer.Auth.InMemoryRefreshTokenStore"/>, in the same order. KEYS: the presented
    /// token. ARGV: key prefix, presented hash, client, successor hash, sealed successor, now, token lifetime, grace
    /// period, remembered tokens, how long keys outlive their deadline. Answers <c>{code, sid, sub, client, created, end, successor expiry, seal}</c>, cut
    /// short after what the code needs; for a revoked session, <c>{code, sid, sub, client, created, end, access tokens pending (0 or 1)}</c>.
    /// A seal whose grace period is over is deleted first, whatever the outcome, as the in-memory store's sweep forgets it.
    /// </summary>
    internal const string Rotate = """
        local sid = redis.call('GET', KEYS[1])
        if not sid then return {0} end
        local p = ARGV[1]
        local skey = p .. 'rt:s:' .. sid
        local f = redis.call('HMGET', skey, 'sub', 'cli', 'cr', 'ex', 'cur', 'prev', 'seal', 'ge', 'te', 'rv', 'ap')
        if not f[1] then return {0} end
        local now = tonumber(ARGV[6])
        if f[7] and now >= tonumber(f[8]) then
          redis.call('HDEL', skey, 'seal')
          f[7] = false
        end
        if f[10] == '1' then return {5, sid, f[1], f[2], f[3], f[4], f[11] == '1' and 1 or 0} end
        if now >= tonumber(f[9]) then return {3, sid, f[1], f[2], f[3], f[4]} end
        local hash = ARGV[2]
        local current = hash == f[5]
        local retry = not current and f[7] ~= false and now < tonumber(f[8]) and hash == f[6]
        if not current and not retry then
          redis.call('HSET', skey, 'rv', '1', 'ap', '1')
          redis.call('HDEL', skey, 'seal')
          return {4, sid, f[1], f[2], f[3], f[4]}
        end
        if ARGV[3] ~= f[2] then return {6, sid, f[1], f[2], f[3], f[4]} end
        if retry then return {2, sid, f[1], f[2], f[3], f[4], f[9], f[7]} end
        local successor = p .. 'rt:t:' .. ARGV[4]
        if redis.call('EXISTS', successor) == 1 then return {7} end
        local ends = tonumber(f[4])
        local expires = math.min(now + tonumber(ARGV[7]), ends)
        redis.call('HSET', skey, 'prev', hash, 'cur', ARGV[4], 'seal', ARGV[5], 'ge', now + tonumber(ARGV[8]), 'te', expires)
        local keep = tonumber(ARGV[10])
        redis.call('SET', successor, sid, 'PX', ends - now + keep)
        local hkey = p .. 'rt:h:' .. sid
        local held = redis.call('RPUSH', hkey, ARGV[4])
        local cap = tonumber(ARGV[9])
        while held > cap do
          local old = p .. 'rt:t:' .. redis.call('LPOP', hkey)
          if redis.call('GET', old) == sid then redis.call('DEL', old) end
          held = held - 1
        end
        redis.call('PEXPIRE', skey, expires - now + keep)
        redis.call('PEXPIRE', hkey, expires - now + keep)
        return {1, sid, f[1], f[2], f[3], f[4], expires}
        """;

    /// <summary>
    /// KEYS: the session. Answers its <c>{sub, client, created, end}</c> after revoking it, or nil when none is held.
    /// A session not revoked before has its access tokens marked pending.
    /// </summary>
    internal const string RevokeSession = """
        local f = redis.call('HMGET', KEYS[1], 'sub', 'cli', 'cr', 'ex', 'rv')
        if not f[1] then return false end
        if f[5] ~= '1' then redis.call('HSET', KEYS[1], 'rv', '1', 'ap', '1') end
        redis.call('HDEL', KEYS[1], 'seal')
        return {f[1], f[2], f[3], f[4]}
        """;

    /// <summary>
    /// KEYS: the subject. ARGV: session key prefix. Revokes each session not revoked yet, forgets the ended ones, and
    /// answers <c>{sid, sub, client, created, end, …}</c> for the sessions it revoked and those revoked before whose
    /// access tokens are still pending.
    /// </summary>
    internal const string RevokeSubject = """
        local revoked = {}
        for _, sid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local skey = ARGV[1] .. sid
          local f = redis.call('HMGET', skey, 'sub', 'cli', 'cr', 'ex', 'rv', 'ap')
          if not f[1] then
            redis.call('SREM', KEYS[1], sid)
          elseif f[5] ~= '1' or f[6] == '1' then
            redis.call('HSET', skey, 'rv', '1', 'ap', '1')
            redis.call('HDEL', skey, 'seal')
            for _, v in ipairs({sid, f[1], f[2], f[3], f[4]}) do revoked[#revoked + 1] = v end
          end
        end
        return revoked
        """;

    /// <summary>KEYS: the session. Clears its access tokens' pending mark (nothing when the session is gone).</summary>
    internal const string MarkAccessTokensRevoked = """
        redis.call('HDEL', KEYS[1], 'ap')
        return 0
        """;
}
