using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Issuance;

/// <summary>
/// Issued access tokens: accepted by our validator and by Microsoft.IdentityModel for every algorithm we verify,
/// carrying exactly the claims and header asked for, on the issuer's clock.
/// </summary>
public sealed class TokenIssuerTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Algorithms => [.. JwsAlgorithms.All];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task An_issued_token_passes_our_validator_and_Microsofts(string algorithm)
    {
        var key = SignedTokens.Generated(algorithm);
        var issued = Issuer(key).Issue(new AccessTokenRequest("user-1"));

        var ours = await SignedTokens.Validator([key.ToVerificationKey(TestJwt.Issuer)], TestJwt.Issuer)
            .ValidateAsync(issued.Token, TestContext.Current.CancellationToken);
        var microsoft = await SignedTokens.MicrosoftValidateAsync(issued.Token, algorithm, SignedTokens.MicrosoftKeysFor(key));

        Assert.Equal(TokenFailureReason.None, ours.Failure);
        Assert.Equal(algorithm, ours.Token!.Header.Algorithm);
        Assert.True(microsoft.IsValid, microsoft.Exception?.Message);
        Assert.Equal("user-1", microsoft.Claims["sub"]);
    }

    [Fact]
    public async Task Subject_session_roles_and_extra_claims_round_trip_through_the_default_claims_mapper()
    {
        var key = SignedTokens.Generated(JwsAlgorithms.ES256);
        var request = new AccessTokenRequest("user-1") { SessionId = "session-7", ClientId = "web-app", Roles = ["admin", "auditor"] }
            .AddClaim("name", "Ålice \"A\"")
            .AddClaim("tenant_id", 42L)
            .AddClaim("score", 0.5)
            .AddClaim("email_verified", true)
            .AddClaim("beta", false)
            .AddClaim("groups", ["g1", "g2"]);

        var issued = Issuer(key).Issue(request);
        var result = await SignedTokens.Validator([key.ToVerificationKey(TestJwt.Issuer)], TestJwt.Issuer)
            .ValidateAsync(issued.Token, TestContext.Current.CancellationToken);

        var token = result.Token!;
        Assert.Equal("user-1", token.Subject);
        Assert.Equal("session-7", token.SessionId);
        Assert.Equal("web-app", token.GetStringClaim("client_id"u8));
        Assert.Equal(issued.TokenId, token.TokenId);
        var principal = new ClaimsPrincipal(new JwtClaimsMapper().CreateIdentity(token, "Bearer"));
        Assert.True(principal.IsInRole("admin"));
        Assert.True(principal.IsInRole("auditor"));
        Assert.False(principal.IsInRole("user"));
        Assert.Equal("Ålice \"A\"", principal.Identity!.Name);

        using var payload = JsonDocument.Parse(token.Payload);
        var claims = payload.RootElement;
        Assert.Equal(42, claims.GetProperty("tenant_id").GetInt64());
        Assert.Equal(0.5, claims.GetProperty("score").GetDouble());
        Assert.Equal(JsonValueKind.True, claims.GetProperty("email_verified").ValueKind);
        Assert.Equal(JsonValueKind.False, claims.GetProperty("beta").ValueKind);
        Assert.Equal(["g1", "g2"], claims.GetProperty("groups").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["admin", "auditor"], claims.GetProperty("role").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            ["iss", "sub", "aud", "jti", "iat", "nbf", "exp", "sid", "client_id", "role", "name", "tenant_id", "score", "email_verified", "beta", "groups"],
            claims.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_token_without_session_or_roles_carries_neither_claim()
    {
        var issued = Issuer(SignedTokens.Generated(JwsAlgorithms.HS256)).Issue(new AccessTokenRequest("user-1"));

        using var payload = PayloadOf(issued.Token);
        Assert.Equal(["iss", "sub", "aud", "jti", "iat", "nbf", "exp"], payload.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task One_audience_is_a_string_and_several_are_an_array_each_accepted_by_a_validator_of_one_of_them()
    {
        var key = SignedTokens.Generated(JwsAlgorithms.HS256);
        var single = Issuer(key).Issue(new AccessTokenRequest("user-1"));
        var several = Issuer(key, options => options.Audiences.Add("api://other")).Issue(new AccessTokenRequest("user-1"));

        using (var payload = PayloadOf(single.Token))
        {
            Assert.Equal(JsonValueKind.String, payload.RootElement.GetProperty("aud").ValueKind);
            Assert.Equal(TestJwt.Audience, payload.RootElement.GetProperty("aud").GetString());
        }

        using (var payload = PayloadOf(several.Token))
        {
            Assert.Equal([TestJwt.Audience, "api://other"], payload.RootElement.GetProperty("aud").EnumerateArray().Select(e => e.GetString()));
        }

        var other = new BearerJwtValidator(new TokenValidationSettings
        {
            KeyResolver = new StaticKeyResolver([key.ToVerificationKey(TestJwt.Issuer)]),
            ValidIssuers = [TestJwt.Issuer],
            ValidAudiences = ["api://other"],
        });
        Assert.Equal(TokenFailureReason.None, (await other.ValidateAsync(several.Token, TestContext.Current.CancellationToken)).Failure);
        Assert.Equal(TokenFailureReason.AudienceInvalid, (await other.ValidateAsync(single.Token, TestContext.Current.CancellationToken)).Failure);
        var microsoft = await SignedTokens.MicrosoftValidateAsync(several.Token, JwsAlgorithms.HS256, SignedTokens.MicrosoftKeysFor(key));
        Assert.True(microsoft.IsValid, microsoft.Exception?.Message);
    }

    [Fact]
    public async Task The_default_lifetime_is_fifteen_minutes_in_whole_seconds_of_the_time_provider()
    {
        var time = new FakeTimeProvider(Now.AddMilliseconds(700));
        var key = SignedTokens.Generated(JwsAlgorithms.HS256);
        var issued = Issuer(key, time: time).Issue(new AccessTokenRequest("user-1"));

        Assert.Equal(Now, issued.IssuedAt);
        Assert.Equal(Now.AddMinutes(15), issued.ExpiresAt);
        using (var payload = PayloadOf(issued.Token))
        {
            var claims = payload.RootElement;
            Assert.Equal(Now.ToUnixTimeSeconds(), claims.GetProperty("iat").GetInt64());
            Assert.Equal(Now.ToUnixTimeSeconds(), claims.GetProperty("nbf").GetInt64());
            Assert.Equal(Now.AddMinutes(15).ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        }

        var validator = new BearerJwtValidator(new TokenValidationSettings
        {
            KeyResolver = new StaticKeyResolver([key.ToVerificationKey(TestJwt.Issuer)]),
            ValidIssuers = [TestJwt.Issuer],
            ValidAudiences = [TestJwt.Audience],
            ClockSkew = TimeSpan.Zero,
            TimeProvider = time,
        });
        Assert.Equal(TokenFailureReason.None, (await validator.ValidateAsync(issued.Token, TestContext.Current.CancellationToken)).Failure);
        time.SetUtcNow(Now.AddMinutes(15).AddSeconds(1));
        Assert.Equal(TokenFailureReason.TokenExpired, (await validator.ValidateAsync(issued.Token, TestContext.Current.CancellationToken)).Failure);
    }

    [Fact]
    public void A_configured_lifetime_sets_exp_and_drops_a_fraction_of_a_second()
    {
        var issuer = Issuer(SignedTokens.Generated(JwsAlgorithms.HS256), o => o.AccessTokenLifetime = TimeSpan.FromSeconds(90.9), new FakeTimeProvider(Now));

        var issued = issuer.Issue(new AccessTokenRequest("user-1"));

        Assert.Equal(TimeSpan.FromSeconds(90), issuer.AccessTokenLifetime);
        Assert.Equal(Now.AddSeconds(90), issued.ExpiresAt);
    }

    [Theory]
    [InlineData(null, "at+jwt")]
    [InlineData("JWT", "JWT")]
    public void The_header_is_alg_typ_and_the_keys_kid(string? type, string expectedType)
    {
        var key = SignedTokens.Generated(JwsAlgorithms.ES256);
        var issued = Issuer(key, o => o.TokenType = type ?? o.TokenType).Issue(new AccessTokenRequest("user-1"));

        Assert.Equal($$"""{"alg":"ES256","typ":"{{expectedType}}","kid":"{{key.KeyId}}"}""", HeaderOf(issued.Token));
    }

    [Fact]
    public void A_key_without_a_kid_gives_a_header_without_one()
    {
        var key = SignedTokens.FromFactory(JwsAlgorithms.HS384, keyId: null);

        var issued = Issuer(key).Issue(new AccessTokenRequest("user-1"));

        Assert.Equal("""{"alg":"HS384","typ":"at+jwt"}""", HeaderOf(issued.Token));
    }

    [Fact]
    public void Every_token_gets_a_new_128_bit_jti_the_result_reports()
    {
        var issuer = Issuer(SignedTokens.Generated(JwsAlgorithms.HS256), time: new FakeTimeProvider(Now));
        var request = new AccessTokenRequest("user-1");
        var ids = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < 10_000; i++)
        {
            var issued = issuer.Issue(request);
            Assert.Equal(16, Base64Url.DecodeFromChars(issued.TokenId).Length);
            Assert.True(ids.Add(issued.TokenId), issued.TokenId);
            if (i % 1000 == 0)
            {
                using var payload = PayloadOf(issued.Token);
                Assert.Equal(issued.TokenId, payload.RootElement.GetProperty("jti").GetString());
            }
        }
    }

    [Fact]
    public async Task Changing_the_options_after_the_issuer_is_created_changes_nothing()
    {
        var key = SignedTokens.Generated(JwsAlgorithms.HS256);
        var options = Options(key);
        var issuer = new BearerJwtTokenIssuer(options);
        options.Issuer = SignedTokens.OtherIssuer;
        options.Audiences.Clear();

        var issued = issuer.Issue(new AccessTokenRequest("user-1"));

        Assert.Equal(TestJwt.Issuer, issuer.Issuer);
        Assert.Equal(TokenFailureReason.None, await SignedTokens.FailureOf(issued.Token, key.ToVerificationKey(TestJwt.Issuer)));
    }

    [Fact]
    public void Issue_refuses_a_null_request()
    {
        var issuer = Issuer(SignedTokens.Generated(JwsAlgorithms.HS256));

        Assert.Equal("request", Assert.Throws<ArgumentNullException>(() => issuer.Issue(null!)).ParamName);
    }

    internal static BearerJwtIssuerOptions Options(SigningKey key) => new()
    {
        Issuer = TestJwt.Issuer,
        Audiences = [TestJwt.Audience],
        SigningKey = key,
    };

    private static BearerJwtTokenIssuer Issuer(SigningKey key, Action<BearerJwtIssuerOptions>? configure = null, TimeProvider? time = null)
    {
        var options = Options(key);
        configure?.Invoke(options);
        return new BearerJwtTokenIssuer(options, time);
    }

    private static string HeaderOf(string token) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(0, token.IndexOf('.', StringComparison.Ordinal))));

    private static JsonDocument PayloadOf(string token) => JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]));
}
