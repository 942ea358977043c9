using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Issuance;

/// <summary>Invalid issuer settings and requests are refused before anything is signed, with messages naming the setting and value.</summary>
public sealed class IssuanceValidationTests
{
    public static TheoryData<string, Action<BearerJwtIssuerOptions>, string> InvalidOptions => new()
    {
        { "no issuer", o => o.Issuer = null, "BearerJwtIssuerOptions.Issuer is required (the iss of every token), not null." },
        { "blank issuer", o => o.Issuer = " ", "BearerJwtIssuerOptions.Issuer is required (the iss of every token), not ' '." },
        { "no audience", o => o.Audiences.Clear(), "BearerJwtIssuerOptions.Audiences must list at least one audience (the aud of every token)." },
        { "null audiences", o => o.Audiences = null!, "BearerJwtIssuerOptions.Audiences must list at least one audience (the aud of every token)." },
        { "empty audience", o => o.Audiences.Add(""), "BearerJwtIssuerOptions.Audiences[1] must be a non-empty audience, not ''." },
        { "repeated audience", o => o.Audiences.Add(TestJwt.Audience), "BearerJwtIssuerOptions.Audiences[1] repeats 'api://test'." },
        { "no key", o => o.SigningKey = null, "BearerJwtIssuerOptions.SigningKey (or SigningKeyRing) is required (the key that signs every token), not null." },
        { "zero lifetime", o => o.AccessTokenLifetime = TimeSpan.Zero, "BearerJwtIssuerOptions.AccessTokenLifetime must be between 00:00:01 and 1.00:00:00, not 00:00:00." },
        { "sub-second lifetime", o => o.AccessTokenLifetime = TimeSpan.FromMilliseconds(999), "BearerJwtIssuerOptions.AccessTokenLifetime must be between 00:00:01 and 1.00:00:00, not 00:00:00.9990000." },
        { "negative lifetime", o => o.AccessTokenLifetime = TimeSpan.FromMinutes(-5), "BearerJwtIssuerOptions.AccessTokenLifetime must be between 00:00:01 and 1.00:00:00, not -00:05:00." },
        { "lifetime over a day", o => o.AccessTokenLifetime = TimeSpan.FromHours(25), "BearerJwtIssuerOptions.AccessTokenLifetime must be between 00:00:01 and 1.00:00:00, not 1.01:00:00." },
        { "unknown type", o => o.TokenType = "id+jwt", "BearerJwtIssuerOptions.TokenType must be 'at+jwt' (RFC 9068) or 'JWT', not 'id+jwt'." },
        { "type in the wrong case", o => o.TokenType = "jwt", "BearerJwtIssuerOptions.TokenType must be 'at+jwt' (RFC 9068) or 'JWT', not 'jwt'." },
        { "null type", o => o.TokenType = null!, "BearerJwtIssuerOptions.TokenType must be 'at+jwt' (RFC 9068) or 'JWT', not null." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_listed_and_refused_by_the_constructor(string name, Action<BearerJwtIssuerOptions> configure, string message)
    {
        var options = TokenIssuerTests.Options(SignedTokens.Generated(JwsAlgorithms.HS256));
        configure(options);

        Assert.Equal([message], options.Validate());
        var thrown = Assert.Throws<ArgumentException>(() => new BearerJwtTokenIssuer(options));
        Assert.Equal($"{message} (Parameter 'options')", thrown.Message);
        Assert.Equal("options", thrown.ParamName);
        _ = name; // the row's label: it names the case in the test list
    }

    [Fact]
    public void Valid_options_have_no_problems_and_every_problem_is_reported_at_once()
    {
        Assert.Empty(TokenIssuerTests.Options(SignedTokens.Generated(JwsAlgorithms.HS256)).Validate());
        Assert.Equal(
            [
                "BearerJwtIssuerOptions.Issuer is required (the iss of every token), not null.",
                "BearerJwtIssuerOptions.Audiences must list at least one audience (the aud of every token).",
                "BearerJwtIssuerOptions.SigningKey (or SigningKeyRing) is required (the key that signs every token), not null.",
            ],
            new BearerJwtIssuerOptions().Validate());
    }

    [Fact]
    public void The_defaults_are_fifteen_minutes_and_at_jwt()
    {
        var options = new BearerJwtIssuerOptions();

        Assert.Equal(TimeSpan.FromMinutes(15), options.AccessTokenLifetime);
        Assert.Equal("at+jwt", options.TokenType);
    }

    public static TheoryData<string, Func<AccessTokenRequest>, string> InvalidRequests => new()
    {
        { "null subject", () => new AccessTokenRequest(null!), "AccessTokenRequest.Subject must be a non-empty string, not null. (Parameter 'subject')" },
        { "empty subject", () => new AccessTokenRequest(""), "AccessTokenRequest.Subject must be a non-empty string, not ''. (Parameter 'subject')" },
        { "blank subject", () => new AccessTokenRequest("  "), "AccessTokenRequest.Subject must be a non-empty string, not '  '. (Parameter 'subject')" },
        { "blank session", () => new AccessTokenRequest("u") { SessionId = "" }, "AccessTokenRequest.SessionId must be null or a non-empty string, not ''. (Parameter 'SessionId')" },
        { "blank client", () => new AccessTokenRequest("u") { ClientId = " " }, "AccessTokenRequest.ClientId must be null or a non-empty string, not ' '. (Parameter 'ClientId')" },
        { "empty role", () => new AccessTokenRequest("u") { Roles = ["admin", ""] }, "AccessTokenRequest.Roles[1] must be a non-empty role, not ''. (Parameter 'roles')" },
        { "null role", () => new AccessTokenRequest("u") { Roles = [null!] }, "AccessTokenRequest.Roles[0] must be a non-empty role, not null. (Parameter 'roles')" },
        { "empty claim name", () => new AccessTokenRequest("u").AddClaim("", "x"), "A claim name must be a non-empty string, not ''. (Parameter 'name')" },
        { "repeated claim", () => new AccessTokenRequest("u").AddClaim("tenant", "a").AddClaim("tenant", 2L), "The claim 'tenant' is already added. (Parameter 'name')" },
        { "NaN", () => new AccessTokenRequest("u").AddClaim("score", double.NaN), "The claim 'score' must be a finite number, not NaN. (Parameter 'value')" },
        { "infinity", () => new AccessTokenRequest("u").AddClaim("score", double.PositiveInfinity), "The claim 'score' must be a finite number, not Infinity. (Parameter 'value')" },
        { "null in an array", () => new AccessTokenRequest("u").AddClaim("groups", ["a", null!]), "The claim 'groups' has a null value at index 1. (Parameter 'values')" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void Invalid_requests_are_refused_as_they_are_built(string name, Func<AccessTokenRequest> build, string message)
    {
        Assert.Equal(message, Assert.ThrowsAny<ArgumentException>(build).Message);
        _ = name; // the row's label: it names the case in the test list
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("sub")]
    [InlineData("aud")]
    [InlineData("exp")]
    [InlineData("nbf")]
    [InlineData("iat")]
    [InlineData("jti")]
    [InlineData("sid")]
    [InlineData("client_id")]
    [InlineData("role")]
    [InlineData("roles")]
    [InlineData("http://schemas.microsoft.com/ws/2008/06/identity/claims/role")]
    public void An_extra_claim_cannot_take_the_name_of_a_claim_the_issuer_sets(string claim)
    {
        var request = new AccessTokenRequest("u");

        var thrown = Assert.Throws<ArgumentException>(() => request.AddClaim(claim, "x"));

        Assert.Equal($"The claim '{claim}' is set by the issuer: an extra claim cannot be iss, sub, aud, exp, nbf, iat, jti, sid, role, roles or the role claim type URI. (Parameter 'name')", thrown.Message);
        Assert.Throws<ArgumentException>(() => request.AddClaim(claim, 1L));
        Assert.Throws<ArgumentException>(() => request.AddClaim(claim, true));
        Assert.Throws<ArgumentException>(() => request.AddClaim(claim, ["x"]));
    }

    public static TheoryData<string, Action<string>> LoneSurrogateSites => new()
    {
        { "AccessTokenRequest.Subject", text => _ = new AccessTokenRequest(text) },
        { "AccessTokenRequest.SessionId", text => _ = new AccessTokenRequest("u") { SessionId = text } },
        { "AccessTokenRequest.ClientId", text => _ = new AccessTokenRequest("u") { ClientId = text } },
        { "AccessTokenRequest.Roles[0]", text => _ = new AccessTokenRequest("u") { Roles = [text] } },
        { "A claim name", text => new AccessTokenRequest("u").AddClaim(text, "v") },
        { "The claim 'c'", text => new AccessTokenRequest("u").AddClaim("c", text) },
        { "The claim 'c' at index 0", text => new AccessTokenRequest("u").AddClaim("c", [text]) },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogateSites))]
    public void Text_with_a_lone_surrogate_is_refused_where_it_enters_so_two_names_never_become_one(string what, Action<string> enter)
    {
        foreach (var text in (string[])["x\uD800", "x\uDC00", "\uDC00\uD800"])
        {
            var thrown = Assert.Throws<ArgumentException>(() => enter(text));

            Assert.StartsWith($"{what} is not well-formed UTF-16: it has a lone surrogate at index ", thrown.Message, StringComparison.Ordinal);
        }

        enter("x\uD83D\uDE00"); // a surrogate pair (an emoji) is fine
    }
}
