using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Sessions;

/// <summary>
/// <see cref="InMemoryRefreshTokenStore"/> keeps the store contract, and what is its own: memory follows live sessions
/// (a session whose last token expired is swept out with its hashes), a session remembers a bounded number of tokens,
/// and a sealed successor is kept no longer than the grace period.
/// </summary>
public sealed class InMemoryRefreshTokenStoreTests : RefreshTokenStoreContract
{
    protected override IRefreshTokenStore CreateStore(FakeTimeProvider time) => new InMemoryRefreshTokenStore(time);

    /// <summary>The first 20 decisions pause 1 ms between reading the session and changing it: without the session's lock, the presentations released meanwhile would all see the token as current.</summary>
    protected override void WidenRaceWindow(IRefreshTokenStore store)
    {
        var paused = 0;
        ((InMemoryRefreshTokenStore)store).OnDeciding = () =>
        {
            if (Interlocked.Increment(ref paused) <= 20)
            {
                Thread.Sleep(1);
            }
        };
    }

    protected override IReadOnlyCollection<string>? KeptValues(IRefreshTokenStore store) => ((InMemoryRefreshTokenStore)store).KeptValues();

    [Fact]
    public async Task Memory_follows_live_sessions()
    {
        var (time, store, tokens) = Create();
        var memory = (InMemoryRefreshTokenStore)store;
        var idle = await tokens.StartSessionAsync("alice", Client, Ct);
        var used = await tokens.StartSessionAsync("bob", Client, Ct);
        time.Advance(TimeSpan.FromDays(10));
        var bobNext = await tokens.RefreshAsync(used.RefreshToken, Client, Ct);
        Assert.Equal(2, memory.SessionCount);
        Assert.Equal(3, memory.TokenCount);

        // Alice's token expired on day 14; Bob's successor lives to day 24. A later call sweeps Alice's session out.
        time.Advance(TimeSpan.FromDays(5));
        await tokens.StartSessionAsync("carol", Client, Ct);

        Assert.Equal(2, memory.SessionCount);
        Assert.Equal(3, memory.TokenCount); // bob's two, carol's one
        Assert.Equal(RefreshTokenFailure.Unknown, (await tokens.RefreshAsync(idle.RefreshToken, Client, Ct)).Failure);
        Assert.True((await tokens.RefreshAsync(bobNext.RefreshToken, Client, Ct)).Succeeded);
    }

    [Fact]
    public async Task A_session_remembers_a_bounded_number_of_tokens()
    {
        var (_, store, tokens) = Create();
        var memory = (InMemoryRefreshTokenStore)store;
        var first = await tokens.StartSessionAsync("alice", Client, Ct);
        var token = first.RefreshToken;
        for (var i = 0; i < InMemoryRefreshTokenStore.MaxRememberedTokens + 10; i++)
        {
            token = (await tokens.RefreshAsync(token, Client, Ct)).RefreshToken;
        }

        Assert.Equal(InMemoryRefreshTokenStore.MaxRememberedTokens, memory.TokenCount);

        // The oldest is forgotten: refused as unknown, and no longer able to revoke the session.
        Assert.Equal(RefreshTokenFailure.Unknown, (await tokens.RefreshAsync(first.RefreshToken, Client, Ct)).Failure);
        Assert.True((await tokens.RefreshAsync(token, Client, Ct)).Succeeded);
    }

    [Fact]
    public async Task The_sealed_successor_is_dropped_after_the_grace_period()
    {
        var (time, store, tokens) = Create();
        var memory = (InMemoryRefreshTokenStore)store;
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        var withSeal = memory.KeptValues().Count;

        time.Advance(TimeSpan.FromMinutes(2)); // past the grace period and the sweep interval
        await tokens.StartSessionAsync("bob", Client, Ct);

        // Bob's session adds 5 values (sid, sub, client, its hash in the session and in the token index); Alice's seal (2 spellings) is gone.
        Assert.Equal(withSeal - 2 + 5, memory.KeptValues().Count);
    }

    [Fact]
    public async Task Identifiers_must_be_given()
    {
        var store = new InMemoryRefreshTokenStore();

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RevokeSessionAsync("", Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RevokeSubjectAsync("", Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.RotateAsync(null!, Ct));
    }
}
