using Bearer.Auth.Tests.Keys.Remote;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Keys;

/// <summary>
/// The resolver a scheme builds from its options (configured keys, remote sources and the application's own resolver,
/// asked together) meets the <see cref="KeyResolverContract"/>, with the set spread over all three so that every rule
/// must hold across resolvers: one issuer's keys come from the application's resolver, another's from a remote key
/// set, the unbound keys partly from configuration and partly from a remote set bound to no issuer.
/// </summary>
public sealed class SchemeKeyResolverContractTests : KeyResolverContract
{
    protected override async Task<(IKeyResolver Resolver, IAsyncDisposable? Lifetime)> ServeAsync(IReadOnlyList<VerificationKey> keys)
    {
        var fromApplication = keys.Where(k => k.Issuer == BoundIssuer).ToList();
        var remote = keys.Where(k => k.KeyType != "oct" && (k.Issuer == OtherBoundIssuer || (k.Issuer is null && k.KeyId is null))).ToList();
        var configured = keys.Except(fromApplication).Except(remote).ToList();
        Assert.Contains(configured, k => k.Issuer is null);
        Assert.Contains(configured, k => k.Issuer is not null);
        Assert.Contains(remote, k => k.Issuer is null);
        Assert.Contains(remote, k => k.Issuer is not null);

        var owned = new OwnedResources();
        try
        {
            var authorities = await RemoteKeyResolverContractTests.ServeKeySetsAsync(remote, owned);
            var harness = owned.Add(RemoteKeysHarness.Create(o =>
            {
                foreach (var issuer in ConfiguredIssuers)
                {
                    o.ValidIssuers.Add(issuer);
                }

                foreach (var key in configured)
                {
                    o.VerificationKeys.Add(key);
                }

                foreach (var authority in authorities)
                {
                    o.Authorities.Add(authority);
                }

                o.KeyResolver = TenantKeyResolverContractTests.Create(fromApplication);
            }));
            await harness.WarmUpAsync();
            var resolver = Assert.IsType<CompositeKeyResolver>(harness.Options.ValidationSettings!.KeyResolver);
            Assert.Equal(3, resolver.Resolvers.Count);
            return (resolver, owned);
        }
        catch
        {
            await owned.DisposeAsync();
            throw;
        }
    }
}
