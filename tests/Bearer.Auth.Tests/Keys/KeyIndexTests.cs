using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Keys;

/// <summary>
/// RFC 8725 §3.8/§3.10: keys are looked up by exact (alg, kid) and served per issuer by <see cref="IssuerBinding"/>, never from one shared pool:
/// an issuer with bound keys is served by those keys only, unbound keys serve the other issuers, and an unknown kid
/// finds nothing rather than every key.
/// </summary>
public sealed class KeyIndexTests
{
    private static readonly VerificationKey Unbound = VerificationKey.Symmetric(RandomNumberGenerator.GetBytes(32), keyId: "k");
    private static readonly VerificationKey BoundA = VerificationKey.Symmetric(RandomNumberGenerator.GetBytes(32), keyId: "k", issuer: "https://a.test");
    private static readonly VerificationKey BoundB = VerificationKey.Symmetric(RandomNumberGenerator.GetBytes(32), keyId: "b", issuer: "https://b.test");
    private static readonly VerificationKey NoKid = VerificationKey.Symmetric(RandomNumberGenerator.GetBytes(32));
    private static readonly VerificationKey Hs512 = VerificationKey.Symmetric(RandomNumberGenerator.GetBytes(64), JwsAlgorithms.HS512, keyId: "k");

    private readonly KeyIndex _index = new([Unbound, BoundA, BoundB, NoKid, Hs512]);

    [Fact]
    public void Kid_lookup_returns_the_issuers_bound_keys_or_else_the_unbound_ones()
    {
        Assert.Equal([BoundA], _index.Find(JwsAlgorithms.HS256, "k", "https://a.test"));
        Assert.Empty(_index.Find(JwsAlgorithms.HS256, "k", "https://b.test"));
        Assert.Equal([Unbound], _index.Find(JwsAlgorithms.HS256, "k", "https://c.test"));
        Assert.Equal([Unbound], _index.Find(JwsAlgorithms.HS256, "k", issuer: null));
        Assert.Empty(_index.Find(JwsAlgorithms.HS256, "b", "https://a.test"));
        Assert.Equal([BoundB], _index.Find(JwsAlgorithms.HS256, "b", "https://b.test"));
    }

    [Theory]
    [InlineData("https://A.test")]
    [InlineData("https://a.test/")]
    [InlineData("https://a.tes")]
    [InlineData("")]
    public void Issuer_binding_is_exact(string issuer)
    {
        Assert.DoesNotContain(BoundA, _index.Find(JwsAlgorithms.HS256, "k", issuer));
    }

    [Theory]
    [InlineData("K")]
    [InlineData("k ")]
    [InlineData("k\u0000")]
    [InlineData("unknown")]
    [InlineData("")]
    public void Kid_lookup_is_ordinal_and_never_falls_back(string kid)
    {
        Assert.Empty(_index.Find(JwsAlgorithms.HS256, kid, "https://a.test"));
    }

    [Fact]
    public void Token_without_kid_gets_every_key_of_its_algorithm_that_serves_its_issuer()
    {
        Assert.Equal([BoundA], _index.Find(JwsAlgorithms.HS256, keyId: null, "https://a.test"));
        Assert.Equal([Unbound, NoKid], _index.Find(JwsAlgorithms.HS256, keyId: null, "https://c.test"));
        Assert.Empty(_index.Find(JwsAlgorithms.HS512, keyId: null, "https://a.test"));
        Assert.Equal([Hs512], _index.Find(JwsAlgorithms.HS512, keyId: null, "https://c.test"));
        Assert.Empty(_index.Find(JwsAlgorithms.RS256, keyId: null, "https://a.test"));
    }

    [Fact]
    public void Kid_is_never_shared_across_algorithms()
    {
        Assert.Equal([Hs512], _index.Find(JwsAlgorithms.HS512, "k", issuer: null));
        Assert.Empty(_index.Find(JwsAlgorithms.HS384, "k", issuer: null));
        Assert.True(_index.ContainsKeyId("k"));
        Assert.False(_index.ContainsKeyId("K"));
    }

    [Fact]
    public async Task Static_resolver_reports_key_not_found_rather_than_an_empty_success()
    {
        var resolver = new StaticKeyResolver([BoundB]);

        var resolution = await resolver.ResolveAsync(new JwsHeader(JwsAlgorithms.HS256, "nobody-has-this-kid", null), "https://b.test", TestContext.Current.CancellationToken);

        Assert.Equal(TokenFailureReason.KeyNotFound, resolution.Failure);
        Assert.Empty(resolution.Keys);
    }

    [Fact]
    public async Task Static_resolver_says_a_key_of_another_issuer_is_not_for_this_issuer()
    {
        var resolver = new StaticKeyResolver([BoundB]);

        var resolution = await resolver.ResolveAsync(new JwsHeader(JwsAlgorithms.HS256, "b", null), "https://a.test", TestContext.Current.CancellationToken);

        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, resolution.Failure);
        Assert.Empty(resolution.Keys);
    }

    [Fact]
    public async Task A_key_bound_to_another_issuer_is_key_issuer_mismatch_for_a_valid_issuer_and_key_not_found_for_an_unknown_kid()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var options = new BearerJwtOptions { ValidAudience = TestJwt.Audience };
        options.ValidIssuers.Add("https://a.test");
        options.VerificationKeys.Add(VerificationKey.Symmetric(secret, keyId: "b", issuer: "https://b.test"));
        var validator = TestValidators.From(options, new FakeTimeProvider(ValidatorFixture.Now));

        var token = TestJwt.Hs(secret, TestJwt.Payload(ValidatorFixture.Now, issuer: "https://a.test"), headerJson: """{"alg":"HS256","kid":"b"}""");
        var unknownKid = TestJwt.Hs(secret, TestJwt.Payload(ValidatorFixture.Now, issuer: "https://a.test"), headerJson: """{"alg":"HS256","kid":"c"}""");

        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
        Assert.Equal(TokenFailureReason.KeyNotFound, (await validator.ValidateAsync(unknownKid, TestContext.Current.CancellationToken)).Failure);
    }
}
