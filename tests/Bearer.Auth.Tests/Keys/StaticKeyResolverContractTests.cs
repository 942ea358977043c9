namespace Bearer.Auth.Tests.Keys;

/// <summary><see cref="StaticKeyResolver"/> (the resolver of a scheme's configured keys) meets the <see cref="KeyResolverContract"/>.</summary>
public sealed class StaticKeyResolverContractTests : KeyResolverContract
{
    protected override Task<(IKeyResolver Resolver, IAsyncDisposable? Lifetime)> ServeAsync(IReadOnlyList<VerificationKey> keys) =>
        Task.FromResult<(IKeyResolver, IAsyncDisposable?)>((new StaticKeyResolver(keys), null));
}
