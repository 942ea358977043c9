using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// The validator reads the clock once per token, and again after waiting for a key source: a token that expires
/// while its key is being fetched is refused.
/// </summary>
public sealed class ClockReadingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public async Task A_token_that_expires_while_its_key_is_fetched_is_refused(int repeatTokenCacheSize)
    {
        using var fixture = new ValidatorFixture();
        var key = VerificationKey.Symmetric(fixture.HmacKey, JwsAlgorithms.HS256, keyId: "hs");
        var resolver = new SlowResolver(key);
        var options = new BearerJwtOptions
        {
            ValidIssuer = TestJwt.Issuer,
            ValidAudience = TestJwt.Audience,
            ClockSkew = TimeSpan.Zero,
            KeyResolver = resolver,
            RepeatTokenCacheSize = repeatTokenCacheSize,
        };
        var validator = TestValidators.From(options, fixture.Time);
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}"""); // exp = now + 300

        // Accepted while the fetch is quick, twice, so that with a cache the second one is a cached entry.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TokenFailureReason.None, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
        }

        // The fetch now takes until one second after exp.
        resolver.During = () => fixture.Time.Advance(TimeSpan.FromSeconds(301));
        var result = await validator.ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenFailureReason.TokenExpired, result.Failure);
    }

    private sealed class SlowResolver(VerificationKey key) : IKeyResolver
    {
        internal Action? During { get; set; }

        public async ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
        {
            await Task.Yield();
            During?.Invoke();
            return KeyResolution.Found([key]);
        }

        public bool HasKeysBoundTo(string issuer) => key.Issuer == issuer;
    }
}
