using System.Security.Cryptography;

namespace Bearer.Auth.Tests.Keys;

/// <summary>
/// The sample <see cref="TenantKeyResolver"/>, an application's own resolver, meets the <see cref="KeyResolverContract"/>
/// like the built-in ones.
/// </summary>
public sealed class TenantKeyResolverContractTests : KeyResolverContract
{
    protected override Task<(IKeyResolver Resolver, IAsyncDisposable? Lifetime)> ServeAsync(IReadOnlyList<VerificationKey> keys) =>
        Task.FromResult<(IKeyResolver, IAsyncDisposable?)>((Create(keys), null));

    [Fact]
    public void A_tenant_key_bound_to_another_issuer_is_refused()
    {
        var key = VerificationKey.Symmetric(RandomNumberGenerator.GetBytes(32), keyId: "t", issuer: OtherBoundIssuer);

        var ex = Assert.Throws<ArgumentException>(() => new TenantKeyResolver(
            new Dictionary<string, IReadOnlyList<VerificationKey>> { [BoundIssuer] = [key] }, []));

        Assert.Equal("tenants", ex.ParamName);
    }

    /// <summary>The tenants are the issuers the keys are bound to; the unbound keys are shared.</summary>
    internal static TenantKeyResolver Create(IEnumerable<VerificationKey> keys) =>
        new(
            keys.Where(k => k.Issuer is not null).GroupBy(k => k.Issuer!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, IReadOnlyList<VerificationKey> (g) => [.. g], StringComparer.Ordinal),
            keys.Where(k => k.Issuer is null));
}
