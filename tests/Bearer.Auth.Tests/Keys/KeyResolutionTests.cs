using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Keys;

public sealed class KeyResolutionTests
{
    [Fact]
    public void A_custom_resolver_must_answer_which_issuers_it_binds_keys_to()
    {
        // A default of "none" would let a resolver that does bind keys forget to say so, and the scheme's unbound
        // keys would then sign as that issuer; without a default the resolver does not compile until it answers.
        var method = typeof(IKeyResolver).GetMethod(nameof(IKeyResolver.HasKeysBoundTo))!;

        Assert.True(method.IsAbstract);
    }

    [Fact]
    public void Default_value_reads_as_key_not_found_with_no_keys()
    {
        KeyResolution resolution = default;

        Assert.Equal(TokenFailureReason.KeyNotFound, resolution.Failure);
        Assert.Empty(resolution.Keys);
    }

    [Fact]
    public async Task Custom_resolver_returning_default_refuses_the_token_instead_of_throwing()
    {
        using var fixture = new ValidatorFixture(o => o.KeyResolver = new DefaultReturningResolver());

        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}""");

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(token));
    }

    private sealed class DefaultReturningResolver : IKeyResolver
    {
        public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken) =>
            ValueTask.FromResult(default(KeyResolution));

        public bool HasKeysBoundTo(string issuer) => false;
    }
}
