using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Revocation;

/// <summary>
/// <see cref="InMemoryTokenRevocationStore"/> keeps the store contract, and what is its own: writes sweep out expired
/// entries at most once a minute, a lookup drops the expired entry it meets, identifiers must be non-empty, and without
/// a <see cref="TimeProvider"/> it reads the system clock.
/// </summary>
public sealed class InMemoryTokenRevocationStoreTests : TokenRevocationStoreContract
{
    [Fact]
    public async Task Memory_follows_live_revocations()
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemoryTokenRevocationStore(time);
        await store.RevokeTokenAsync("j-short", Start.AddMinutes(5), Ct);
        await store.RevokeSessionAsync("s-short", Start.AddMinutes(5), Ct);
        await store.RevokeSubjectAsync("user-short", Start.AddMinutes(5), Ct);
        await store.RevokeTokenAsync("j-long", Start.AddHours(1), Ct);
        Assert.Equal(4, store.Count);

        // Nothing is asked about the expired entries: a later write alone must let them go.
        time.Advance(TimeSpan.FromMinutes(10));
        await store.RevokeSessionAsync("s-new", Start.AddHours(1), Ct);

        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task A_write_sweeps_out_expired_entries_at_most_once_a_minute()
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemoryTokenRevocationStore(time);
        await store.RevokeTokenAsync("j-short", Start.AddSeconds(30), Ct); // the first write sweeps (nothing yet)
        await store.RevokeSessionAsync("s-short", Start.AddSeconds(30), Ct);
        await store.RevokeSubjectAsync("user-short", Start.AddSeconds(30), Ct);
        await store.RevokeTokenAsync("j-long", Start.AddHours(1), Ct);

        // Expired, but the last sweep was under a minute ago: the entries wait.
        time.Advance(TimeSpan.FromSeconds(40));
        await store.RevokeTokenAsync("j-2", Start.AddHours(1), Ct);
        Assert.Equal(5, store.Count);

        time.Advance(TimeSpan.FromSeconds(20));
        await store.RevokeTokenAsync("j-3", Start.AddHours(1), Ct);
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public async Task A_lookup_drops_the_expired_entry_it_meets()
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemoryTokenRevocationStore(time);
        var token = await Token("\"jti\":\"j-1\",\"sid\":\"s-1\",\"sub\":\"user-1\",\"iat\":1779999000");
        var other = await Token("\"jti\":\"j-2\"");
        await store.RevokeTokenAsync("j-1", Start.AddMinutes(1), Ct);
        await store.RevokeSessionAsync("s-1", Start.AddMinutes(1), Ct);
        await store.RevokeSubjectAsync("user-1", Start.AddMinutes(1), Ct);
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.False(await store.IsRevokedAsync(other, Ct));
        Assert.Equal(3, store.Count); // a lookup drops only what it meets

        Assert.False(await store.IsRevokedAsync(token, Ct));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task A_revocation_after_a_sweep_emptied_its_kind_is_seen()
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemoryTokenRevocationStore(time);
        var token = await Token("\"jti\":\"j-2\"");
        await store.RevokeTokenAsync("j-1", Start.AddSeconds(30), Ct);
        time.Advance(TimeSpan.FromMinutes(2));
        await store.RevokeSessionAsync("s-1", Start.AddHours(1), Ct); // sweeps: no token revocation is left
        Assert.Equal(1, store.Count);
        Assert.False(await store.IsRevokedAsync(token, Ct));

        await store.RevokeTokenAsync("j-2", Start.AddHours(1), Ct);

        Assert.True(await store.IsRevokedAsync(token, Ct));
    }

    [Fact]
    public async Task A_lookup_keeps_a_live_entry()
    {
        var store = new InMemoryTokenRevocationStore(new FakeTimeProvider(Start));
        var token = await Token("\"jti\":\"j-1\"");
        await store.RevokeTokenAsync("j-1", Start.AddMinutes(1), Ct);

        Assert.True(await store.IsRevokedAsync(token, Ct));
        Assert.True(await store.IsRevokedAsync(token, Ct));
        Assert.Equal(1, store.Count);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("session")]
    [InlineData("subject")]
    public async Task A_null_or_empty_identifier_is_refused(string kind)
    {
        var store = new InMemoryTokenRevocationStore(new FakeTimeProvider(Start));

        await Assert.ThrowsAsync<ArgumentNullException>(() => Revoke(store, kind, null!).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => Revoke(store, kind, string.Empty).AsTask());
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Checking_a_null_token_throws()
    {
        var store = new InMemoryTokenRevocationStore(new FakeTimeProvider(Start));

        await Assert.ThrowsAsync<ArgumentNullException>(() => store.IsRevokedAsync(null!, Ct).AsTask());
    }

    [Fact]
    public async Task Without_a_time_provider_the_store_reads_the_system_clock()
    {
        var store = new InMemoryTokenRevocationStore();
        var now = TimeProvider.System.GetUtcNow();

        await store.RevokeTokenAsync("j-1", now.AddHours(1), Ct);
        await store.RevokeTokenAsync("j-2", now.AddHours(-1), Ct);

        Assert.True(await store.IsRevokedAsync(await Token("\"jti\":\"j-1\""), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"jti\":\"j-2\""), Ct));
        Assert.Equal(1, store.Count);
    }

    protected override ITokenRevocationStore CreateStore(FakeTimeProvider time) => new InMemoryTokenRevocationStore(time);

    protected override int? CountOf(ITokenRevocationStore store) => ((InMemoryTokenRevocationStore)store).Count;

    private static ValueTask Revoke(InMemoryTokenRevocationStore store, string kind, string identifier) => kind switch
    {
        "token" => store.RevokeTokenAsync(identifier, Start.AddHours(1), Ct),
        "session" => store.RevokeSessionAsync(identifier, Start.AddHours(1), Ct),
        _ => store.RevokeSubjectAsync(identifier, Start.AddHours(1), Ct),
    };
}
