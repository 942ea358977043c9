using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Keys;

public sealed class KeyResolutionTests
{
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
    }
}
