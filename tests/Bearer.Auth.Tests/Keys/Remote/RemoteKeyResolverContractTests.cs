using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>
/// <see cref="RemoteKeyResolver"/> meets the <see cref="KeyResolverContract"/>, serving the set from one
/// <see cref="JwksTestServer"/> per issuer: bare key sets (<c>JwksUri</c>) bound to an issuer, and one bound to none
/// for the unbound keys. Remote sets hold public keys (EC and RSA) only: shared secrets are skipped by default.
/// </summary>
public sealed class RemoteKeyResolverContractTests : KeyResolverContract
{
    protected override IReadOnlyCollection<string> SupportedKeyTypes { get; } = ["RSA", "EC"];

    protected override async Task<(IKeyResolver Resolver, IAsyncDisposable? Lifetime)> ServeAsync(IReadOnlyList<VerificationKey> keys)
    {
        var owned = new OwnedResources();
        try
        {
            var authorities = await ServeKeySetsAsync(keys, owned);
            var services = owned.Add(new ServiceCollection().AddHttpClient().BuildServiceProvider());
            var resolver = owned.Add(new RemoteKeyResolver(
                authorities, new RemoteKeySetOptions(), services.GetRequiredService<IHttpClientFactory>(), new FakeTimeProvider(ValidatorFixture.Now)));
            await resolver.WarmUpAsync(TestContext.Current.CancellationToken);
            Assert.All(resolver.Sources, source => Assert.Null(source.GetStatus().LastError));
            Assert.Equal(keys.Count, resolver.Sources.Sum(source => source.GetStatus().KeyCount));
            return (resolver, owned);
        }
        catch
        {
            await owned.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts one server per issuer the keys are bound to, and one for the unbound keys; returns the entries naming
    /// them (<c>JwksUri</c>, with <c>Issuer</c> for a bound set).
    /// </summary>
    internal static async Task<List<RemoteKeyAuthority>> ServeKeySetsAsync(IEnumerable<VerificationKey> keys, OwnedResources owned)
    {
        var authorities = new List<RemoteKeyAuthority>();
        foreach (var set in keys.GroupBy(k => k.Issuer, StringComparer.Ordinal))
        {
            var server = owned.Add(await JwksTestServer.StartAsync());
            server.Publish(set);
            authorities.Add(new RemoteKeyAuthority { JwksUri = server.JwksUrl, Issuer = set.Key, RequireHttpsMetadata = false });
        }

        return authorities;
    }
}
