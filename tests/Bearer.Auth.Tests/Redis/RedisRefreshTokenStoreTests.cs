using Bearer.Auth.Redis;
using Bearer.Auth.Tests.Sessions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>
/// <see cref="RedisRefreshTokenStore"/> keeps the store contract against a real Redis, and what is its own: every
/// operation is one command on the network (one script), every key expires no later than what it indexes, only
/// hashes are kept, a session remembers a bounded number of tokens, a session whose token expired is dropped by
/// Redis itself, and stores under different prefixes do not share sessions.
/// </summary>
public sealed class RedisRefreshTokenStoreTests(RedisFixture redis) : RefreshTokenStoreContract, IClassFixture<RedisFixture>
{
    private readonly Dictionary<IRefreshTokenStore, string> _prefixes = [];

    protected override IRefreshTokenStore CreateStore(FakeTimeProvider time)
    {
        var prefix = redis.NewPrefix();
        var store = new RedisRefreshTokenStore(redis.Multiplexer, prefix, time);
        lock (_prefixes)
        {
            _prefixes[store] = prefix;
        }

        return store;
    }

    protected override IReadOnlyCollection<string>? KeptValues(IRefreshTokenStore store) => RedisFixture.Dump(redis.Multiplexer, _prefixes[store]);

    [Fact]
    public async Task Every_key_expires_no_later_than_what_it_indexes()
    {
        var (time, store, tokens) = Create();
        var prefix = _prefixes[store];
        var database = redis.Multiplexer.GetDatabase();
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var sid = t0.Session!.SessionId;
        time.Advance(TimeSpan.FromDays(1));
        var t1 = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);

        // The session and its token list live as long as the current token (day 1 + 14 days idle): 14 days from now.
        await AssertExpiresIn(database, $"{prefix}rt:s:{sid}", Idle);
        await AssertExpiresIn(database, $"{prefix}rt:h:{sid}", Idle);

        // A token hash points at its session until the session's end (day 30), so a replaced token still reads as reused.
        await AssertExpiresIn(database, $"{prefix}rt:t:{Hash(t0.RefreshToken!)}", Absolute);
        await AssertExpiresIn(database, $"{prefix}rt:t:{Hash(t1.RefreshToken!)}", Absolute - TimeSpan.FromDays(1));
        await AssertExpiresIn(database, $"{prefix}rt:u:alice", Absolute);

        // Near the session's end, the sliding expiry stops at it: on day 20, at day 30 rather than 34.
        time.SetUtcNow(Start + TimeSpan.FromDays(10));
        var t2 = await tokens.RefreshAsync(t1.RefreshToken, Client, Ct);
        time.SetUtcNow(Start + TimeSpan.FromDays(20));
        Assert.True((await tokens.RefreshAsync(t2.RefreshToken, Client, Ct)).Succeeded);
        await AssertExpiresIn(database, $"{prefix}rt:s:{sid}", TimeSpan.FromDays(10));
        await AssertExpiresIn(database, $"{prefix}rt:h:{sid}", TimeSpan.FromDays(10));

        // A later, longer session of the same subject keeps the subject's index until its own end.
        time.SetUtcNow(Start + TimeSpan.FromDays(26));
        await tokens.StartSessionAsync("alice", Client, Ct);
        await AssertExpiresIn(database, $"{prefix}rt:u:alice", Absolute);

        var keys = RedisFixture.Keys(redis.Multiplexer, prefix);
        Assert.Equal(10, keys.Count); // 2 sessions, 2 lists, 4 + 1 token hashes, 1 subject
        foreach (var key in keys)
        {
            Assert.True(await database.KeyTimeToLiveAsync(key) is { } ttl && ttl > TimeSpan.Zero, $"{key} never expires");
        }
    }

    [Fact]
    public async Task Each_operation_is_one_command_sent_to_redis()
    {
        await using var connection = RedisFixture.Connect(redis.Server, redis.NewPrefix());
        var store = new RedisRefreshTokenStore(connection, new FakeTimeProvider(Start));
        var refresh = new BearerJwtRefreshTokens(store, Microsoft.Extensions.Options.Options.Create(new BearerJwtRefreshTokenOptions()));

        // The first call of each script also loads it (SCRIPT LOAD); from then on it runs by its SHA-1.
        var warm = await refresh.StartSessionAsync("warm", Client, Ct);
        await refresh.RefreshAsync(warm.RefreshToken, Client, Ct);
        await refresh.RevokeSessionAsync(warm.Session!.SessionId, Ct);
        await refresh.RevokeSubjectAsync("warm", Ct);

        await using var monitor = await RedisMonitor.StartAsync(redis.Server.Port);
        var t0 = await refresh.StartSessionAsync("alice", Client, Ct);
        var t1 = await refresh.RefreshAsync(t0.RefreshToken, Client, Ct);
        var retried = await refresh.RefreshAsync(t0.RefreshToken, Client, Ct);
        var t2 = await refresh.RefreshAsync(t1.RefreshToken, Client, Ct);
        var reused = await refresh.RefreshAsync(t0.RefreshToken, Client, Ct);
        await refresh.RevokeSessionAsync(t0.Session!.SessionId, Ct);
        await refresh.RevokeSubjectAsync("alice", Ct);
        var sent = await monitor.CommandsSentUntilAsync(redis.Multiplexer);

        Assert.True(t1.Succeeded && retried.Succeeded && t2.Succeeded);
        Assert.Equal(RefreshTokenFailure.Reused, reused.Failure);
        Assert.Equal(7, sent.Count);
        Assert.All(sent, command => Assert.StartsWith("\"EVALSHA\"", command, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_script_cache_flushed_on_the_server_is_filled_again_by_the_next_call()
    {
        var (_, _, tokens) = Create();
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var t1 = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString + ",allowAdmin=true"))
        {
            await admin.GetServer(admin.GetEndPoints()[0]).ScriptFlushAsync();
        }

        var t2 = await tokens.RefreshAsync(t1.RefreshToken, Client, Ct);

        Assert.True(t2.Succeeded, t2.FailureCode);
        Assert.True((await tokens.RefreshAsync(t2.RefreshToken, Client, Ct)).Succeeded);
    }

    [Fact]
    public async Task A_session_remembers_a_bounded_number_of_tokens()
    {
        var (_, store, tokens) = Create();
        var prefix = _prefixes[store];
        var first = await tokens.StartSessionAsync("alice", Client, Ct);
        var token = first.RefreshToken;
        for (var i = 0; i < RedisRefreshTokenStore.MaxRememberedTokens + 10; i++)
        {
            token = (await tokens.RefreshAsync(token, Client, Ct)).RefreshToken;
        }

        var database = redis.Multiplexer.GetDatabase();
        Assert.Equal(RedisRefreshTokenStore.MaxRememberedTokens, await database.ListLengthAsync($"{prefix}rt:h:{first.Session!.SessionId}"));
        Assert.Equal(RedisRefreshTokenStore.MaxRememberedTokens, RedisFixture.Keys(redis.Multiplexer, prefix + "rt:t:").Count);

        // The oldest is forgotten: refused as unknown, and no longer able to revoke the session.
        Assert.Equal(RefreshTokenFailure.Unknown, (await tokens.RefreshAsync(first.RefreshToken, Client, Ct)).Failure);
        Assert.True((await tokens.RefreshAsync(token, Client, Ct)).Succeeded);
    }

    [Fact]
    public async Task A_session_whose_token_expired_unused_is_dropped_by_redis_and_its_subject_forgets_it()
    {
        var time = new FakeTimeProvider(Start);
        var prefix = redis.NewPrefix();
        var store = new RedisRefreshTokenStore(redis.Multiplexer, prefix, time) { KeptAfterExpiry = TimeSpan.Zero };
        var database = redis.Multiplexer.GetDatabase();

        // The caller's clock does not move: only Redis's own expiry can drop this session.
        var shortLived = await store.CreateSessionAsync(new RefreshTokenSessionRequest("s-short", "alice", Client, "h-short", TimeSpan.FromMilliseconds(100), Absolute), Ct);
        await WaitUntilGone(database, $"{prefix}rt:s:{shortLived.SessionId}");

        var rotation = await store.RotateAsync(new RefreshTokenRotationRequest("h-short", Client, "h-next", new byte[1], Idle, Grace), Ct);
        Assert.Equal(RefreshTokenRotationOutcome.Unknown, rotation.Outcome);
        Assert.Null(rotation.Session);
        Assert.Null(await store.RevokeSessionAsync("s-short", Ct));
        Assert.False(await database.KeyExistsAsync($"{prefix}rt:t:h-next"));

        // The next session of the subject prunes the ended one from its index; revoking the subject finds only the live one.
        await store.CreateSessionAsync(new RefreshTokenSessionRequest("s-live", "alice", Client, "h-live", Idle, Absolute), Ct);
        Assert.Equal(["s-live"], (await database.SetMembersAsync($"{prefix}rt:u:alice")).Select(m => m.ToString()));
        Assert.Equal(["s-live"], (await store.RevokeSubjectAsync("alice", Ct)).Select(s => s.SessionId));
        Assert.Equal(Start, time.GetUtcNow());
    }

    [Fact]
    public async Task Stores_under_other_prefixes_do_not_share_sessions_and_one_prefix_is_shared()
    {
        var time = new FakeTimeProvider(Start);
        var prefix = redis.NewPrefix();
        var one = new RedisRefreshTokenStore(redis.Multiplexer, prefix, time);
        var sameRedisOtherApp = new RedisRefreshTokenStore(redis.Multiplexer, redis.NewPrefix(), time);
        var otherInstance = new RedisRefreshTokenStore(redis.Multiplexer, prefix, time);
        await one.CreateSessionAsync(new RefreshTokenSessionRequest("s-1", "alice", Client, "h-1", Idle, Absolute), Ct);

        Assert.Equal(RefreshTokenRotationOutcome.Unknown, (await sameRedisOtherApp.RotateAsync(Request("h-1", "h-2"), Ct)).Outcome);
        Assert.Null(await sameRedisOtherApp.RevokeSessionAsync("s-1", Ct));
        Assert.Empty(await sameRedisOtherApp.RevokeSubjectAsync("alice", Ct));
        Assert.Equal(RefreshTokenRotationOutcome.Rotated, (await otherInstance.RotateAsync(Request("h-1", "h-2"), Ct)).Outcome);
        Assert.Equal(RefreshTokenRotationOutcome.Retried, (await one.RotateAsync(Request("h-1", "h-3"), Ct)).Outcome);
    }

    [Fact]
    public async Task A_rotation_answers_the_session_with_the_times_it_was_created_with()
    {
        var (time, store, _) = Create();
        var created = await store.CreateSessionAsync(new RefreshTokenSessionRequest("s-1", "alice", Client, "h-1", Idle, Absolute), Ct);
        time.Advance(TimeSpan.FromMinutes(5));

        var rotation = await store.RotateAsync(Request("h-1", "h-2"), Ct);

        Assert.Equal(RefreshTokenRotationOutcome.Rotated, rotation.Outcome);
        Assert.Equal(("s-1", "alice", Client, Start, Start + Absolute), (rotation.Session!.SessionId, rotation.Session.Subject, rotation.Session.ClientId, rotation.Session.CreatedAt, rotation.Session.ExpiresAt));
        Assert.Equal((created.CreatedAt, created.ExpiresAt), (rotation.Session.CreatedAt, rotation.Session.ExpiresAt));
        Assert.Equal(Start + TimeSpan.FromMinutes(5) + Idle, rotation.SuccessorExpiresAt);
        Assert.True(rotation.SealedSuccessor.IsEmpty);
    }

    [Fact]
    public async Task A_sealed_successor_is_deleted_by_the_first_call_after_its_grace_period()
    {
        var (time, store, _) = Create();
        var database = redis.Multiplexer.GetDatabase();
        var session = $"{_prefixes[store]}rt:s:s-1";
        await store.CreateSessionAsync(new RefreshTokenSessionRequest("s-1", "alice", Client, "h-1", Idle, Absolute), Ct);
        await store.RotateAsync(Request("h-1", "h-2"), Ct);
        time.Advance(Grace - TimeSpan.FromMilliseconds(1));

        // Within the grace period a call that changes nothing keeps the seal; the first one after it deletes it.
        Assert.Equal(RefreshTokenRotationOutcome.WrongClient, (await store.RotateAsync(new RefreshTokenRotationRequest("h-2", "other-app", "h-3", new byte[1], Idle, Grace), Ct)).Outcome);
        Assert.Equal(new byte[] { 1, 2, 3 }, (byte[])(await database.HashGetAsync(session, "seal"))!);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(RefreshTokenRotationOutcome.WrongClient, (await store.RotateAsync(new RefreshTokenRotationRequest("h-2", "other-app", "h-3", new byte[1], Idle, Grace), Ct)).Outcome);

        Assert.False(await database.HashExistsAsync(session, "seal"));
        Assert.DoesNotContain(Convert.ToHexString([1, 2, 3]), RedisFixture.Dump(redis.Multiplexer, _prefixes[store]));
        Assert.Equal(RefreshTokenRotationOutcome.Rotated, (await store.RotateAsync(Request("h-2", "h-3"), Ct)).Outcome);
    }

    [Fact]
    public async Task A_taken_session_id_or_token_hash_is_refused_and_changes_nothing()
    {
        var (_, store, _) = Create();
        await store.CreateSessionAsync(new RefreshTokenSessionRequest("s-1", "alice", Client, "h-1", Idle, Absolute), Ct);
        await store.CreateSessionAsync(new RefreshTokenSessionRequest("s-2", "bob", Client, "h-2", Idle, Absolute), Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CreateSessionAsync(new RefreshTokenSessionRequest("s-1", "carol", Client, "h-3", Idle, Absolute), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CreateSessionAsync(new RefreshTokenSessionRequest("s-3", "carol", Client, "h-1", Idle, Absolute), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.RotateAsync(Request("h-1", "h-2"), Ct));

        // Nothing was written: Alice's and Bob's tokens are still current, and no session of Carol's exists.
        Assert.Equal(RefreshTokenRotationOutcome.Rotated, (await store.RotateAsync(Request("h-1", "h-5"), Ct)).Outcome);
        Assert.Equal(RefreshTokenRotationOutcome.Rotated, (await store.RotateAsync(Request("h-2", "h-6"), Ct)).Outcome);
        Assert.Empty(await store.RevokeSubjectAsync("carol", Ct));
        Assert.Equal("alice", (await store.RevokeSessionAsync("s-1", Ct))!.Subject);
    }

    [Fact]
    public async Task Identifiers_must_be_given()
    {
        var store = new RedisRefreshTokenStore(redis.Multiplexer, redis.NewPrefix());

        Assert.Throws<ArgumentNullException>(() => new RedisRefreshTokenStore(null!));
        Assert.Throws<ArgumentException>(() => new RedisRefreshTokenStore(redis.Multiplexer, ""));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RevokeSessionAsync("", Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RevokeSubjectAsync("", Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.RotateAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.CreateSessionAsync(null!, Ct));
    }

    private static RefreshTokenRotationRequest Request(string presented, string successor) => new(presented, Client, successor, new byte[] { 1, 2, 3 }, Idle, Grace);

    /// <summary>
    /// Asserts that <paramref name="key"/> expires <paramref name="expected"/> from the fake now (and the minute every
    /// key is kept late), less the real time the test has run.
    /// </summary>
    private static async Task AssertExpiresIn(IDatabase database, string key, TimeSpan expected)
    {
        var ttl = await database.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        expected += RedisRefreshTokenStore.DefaultKeptAfterExpiry;
        Assert.InRange(ttl.Value, expected - TimeSpan.FromSeconds(30), expected);
    }

    private static async Task WaitUntilGone(IDatabase database, string key)
    {
        for (var attempt = 0; attempt < 200 && await database.KeyExistsAsync(key); attempt++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.False(await database.KeyExistsAsync(key), $"{key} did not expire within 10 s");
    }
}
