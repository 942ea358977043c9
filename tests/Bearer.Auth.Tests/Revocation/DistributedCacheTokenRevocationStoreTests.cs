using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Revocation;

/// <summary>
/// The sample <see cref="DistributedCacheTokenRevocationStore"/>, over a <see cref="MemoryDistributedCache"/>, keeps the
/// store contract: the seam holds for a store the library does not ship. Two stores over one cache share their
/// revocations, as instances of one application behind a shared cache would.
/// </summary>
public sealed class DistributedCacheTokenRevocationStoreTests : TokenRevocationStoreContract
{
    [Fact]
    public async Task Stores_over_one_cache_see_each_others_revocations()
    {
        var time = new FakeTimeProvider(Start);
        var cache = NewCache();
        var one = new DistributedCacheTokenRevocationStore(cache, time);
        var other = new DistributedCacheTokenRevocationStore(cache, time);
        var token = await Token("\"jti\":\"j-1\"");
        var session = await Token("\"sid\":\"s-1\"");

        await one.RevokeTokenAsync("j-1", Start.AddMinutes(10), Ct);
        await other.RevokeSessionAsync("s-1", Start.AddMinutes(10), Ct);

        Assert.True(await other.IsRevokedAsync(token, Ct));
        Assert.True(await one.IsRevokedAsync(session, Ct));
        Assert.NotNull(await cache.GetAsync("revoked:jti:j-1", Ct));
    }

    protected override ITokenRevocationStore CreateStore(FakeTimeProvider time) => new DistributedCacheTokenRevocationStore(NewCache(), time);

    private static MemoryDistributedCache NewCache() => new(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()));
}
