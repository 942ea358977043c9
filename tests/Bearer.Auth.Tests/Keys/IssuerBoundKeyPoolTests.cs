using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Keys;

/// <summary>SECURITY.md 3.8: keys are resolved per issuer, never from one shared pool.</summary>
public sealed class IssuerBoundKeyPoolTests
{
    private const string OwnIssuer = "https://own.test";
    private const string ExternalIssuer = "https://external.test";

    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Unbound_key_cannot_sign_for_an_issuer_that_has_bound_keys()
    {
        var fixture = new Fixture();

        var forged = TestJwt.Hs(fixture.UnboundKey, TestJwt.Payload(Now, issuer: OwnIssuer));

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(forged));
    }

    [Fact]
    public async Task Unbound_key_still_serves_issuers_without_keys_of_their_own()
    {
        var fixture = new Fixture();

        var token = TestJwt.Hs(fixture.UnboundKey, TestJwt.Payload(Now, issuer: ExternalIssuer));

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
    }

    [Fact]
    public async Task Bound_key_signs_for_its_issuer_and_never_for_another()
    {
        var fixture = new Fixture();

        var own = TestJwt.Hs(fixture.BoundKey, TestJwt.Payload(Now, issuer: OwnIssuer));
        var other = TestJwt.Hs(fixture.BoundKey, TestJwt.Payload(Now, issuer: ExternalIssuer));

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(own));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(other));
    }

    private sealed class Fixture
    {
        private readonly BearerJwtValidator _validator;

        internal Fixture()
        {
            var options = new BearerJwtOptions { ValidAudience = TestJwt.Audience };
            options.ValidIssuers.Add(OwnIssuer);
            options.ValidIssuers.Add(ExternalIssuer);
            options.VerificationKeys.Add(VerificationKey.Symmetric(BoundKey, issuer: OwnIssuer));
            options.VerificationKeys.Add(VerificationKey.Symmetric(UnboundKey));
            _validator = TestValidators.From(options, new FakeTimeProvider(Now));
        }

        internal byte[] BoundKey { get; } = RandomNumberGenerator.GetBytes(32);

        internal byte[] UnboundKey { get; } = RandomNumberGenerator.GetBytes(32);

        internal async Task<TokenFailureReason> FailureOf(string token) =>
            (await _validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure;
    }
}
