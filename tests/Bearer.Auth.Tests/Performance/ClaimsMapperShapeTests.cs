using System.Security.Claims;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Performance;

/// <summary>
/// Pins the principal the default mapper builds, so allocation work on it (claims adopted by the identity instead of
/// cloned, shared strings for well-known names) cannot change what applications see.
/// </summary>
public sealed class ClaimsMapperShapeTests
{
    [Fact]
    public async Task Every_claim_keeps_its_type_value_value_type_and_issuer_in_token_order()
    {
        using var fixture = new ValidatorFixture(o => o.RoleClaimPaths.Add("realm_access.roles"));
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(
            "\"jti\":\"j-1\",\"name\":\"Ada\",\"role\":[\"admin\",\"user\"],\"scope\":\"read write\",\"n\":1.5,\"b\":true,\"z\":null,\"realm_access\":{\"roles\":[\"ops\"]}"),
            headerJson: """{"alg":"HS256","kid":"hs"}""");
        var result = await fixture.Validator.ValidateAsync(token, TestContext.Current.CancellationToken);
        Assert.Equal(TokenFailureReason.None, result.Failure);
        var validated = result.Token!;
        var mapper = new JwtClaimsMapper("name", "role", fixture.Options.RoleClaimPaths);

        var identity = mapper.CreateIdentity(validated, "Bearer");

        var expected = new (string Type, string Value, string ValueType)[]
        {
            ("iss", TestJwt.Issuer, ClaimValueTypes.String),
            ("aud", TestJwt.Audience, ClaimValueTypes.String),
            ("sub", "user-1", ClaimValueTypes.String),
            ("exp", ValidatorFixture.Now.AddSeconds(300).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            ("iat", ValidatorFixture.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            ("nbf", ValidatorFixture.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            ("jti", "j-1", ClaimValueTypes.String),
            ("name", "Ada", ClaimValueTypes.String),
            ("role", "admin", ClaimValueTypes.String),
            ("role", "user", ClaimValueTypes.String),
            ("scope", "read", ClaimValueTypes.String),
            ("scope", "write", ClaimValueTypes.String),
            ("n", "1.5", ClaimValueTypes.Double),
            ("b", "true", ClaimValueTypes.Boolean),
            ("realm_access", """{"roles":["ops"]}""", "JSON"),
            ("role", "ops", ClaimValueTypes.String),
        };
        Assert.Equal(expected, identity.Claims.Select(c => (c.Type, c.Value, c.ValueType)).ToArray());
        Assert.All(identity.Claims, c =>
        {
            Assert.Same(identity, c.Subject);
            Assert.Equal(TestJwt.Issuer, c.Issuer);
            Assert.Equal(TestJwt.Issuer, c.OriginalIssuer);
        });
        Assert.Equal("Bearer", identity.AuthenticationType);
        Assert.Equal("name", identity.NameClaimType);
        Assert.Equal("Ada", identity.Name);
        Assert.Equal("role", identity.RoleClaimType);
        Assert.True(new ClaimsPrincipal(identity).IsInRole("ops"));
    }

    [Fact]
    public async Task Without_the_name_claim_the_name_comes_from_sub()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}""");
        var validated = (await fixture.Validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Token!;

        var identity = new JwtClaimsMapper("name", "role", []).CreateIdentity(validated, "Bearer");

        Assert.Equal("sub", identity.NameClaimType);
        Assert.Equal("user-1", identity.Name);
    }
}
