using System.Security.Claims;
using Bearer.Auth.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// Tokens minted by an independent implementation (Microsoft.IdentityModel) validate, so the strict rules do not
/// merely agree with our own minter; and the same tokens, tampered, fail with the expected reasons.
/// </summary>
public sealed class IndependentMinterTests
{
    public static TheoryData<string, string?> Algorithms => new()
    {
        { SecurityAlgorithms.HmacSha256, null },
        { SecurityAlgorithms.RsaSha256, null },
        { SecurityAlgorithms.EcdsaSha256, null },
        { SecurityAlgorithms.HmacSha256, "at+jwt" },
        { SecurityAlgorithms.RsaSha256, "at+jwt" },
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Token_minted_by_microsoft_identitymodel_validates(string algorithm, string? tokenType)
    {
        using var fixture = new ValidatorFixture();
        var token = Mint(fixture, algorithm, tokenType, audience: TestJwt.Audience);

        var result = await fixture.Validator.ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenFailureReason.None, result.Failure);
        Assert.Equal("user-1", result.Token!.Subject);
    }

    [Fact]
    public async Task Token_minted_by_microsoft_identitymodel_for_another_audience_or_tampered_fails()
    {
        using var fixture = new ValidatorFixture();
        var otherAudience = Mint(fixture, SecurityAlgorithms.HmacSha256, null, audience: "api://other");
        var parts = Mint(fixture, SecurityAlgorithms.RsaSha256, null, audience: TestJwt.Audience).Split('.');
        var tampered = parts[0] + "." + TestJwt.B64(fixture.ValidPayload()) + "." + parts[2];

        Assert.Equal(TokenFailureReason.AudienceInvalid, await fixture.FailureOf(otherAudience));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(tampered));
    }

    private static string Mint(ValidatorFixture fixture, string algorithm, string? tokenType, string audience)
    {
        SecurityKey key = algorithm switch
        {
            SecurityAlgorithms.RsaSha256 => new RsaSecurityKey(fixture.Rsa) { KeyId = "rs" },
            SecurityAlgorithms.EcdsaSha256 => new ECDsaSecurityKey(fixture.Ecdsa) { KeyId = "es" },
            _ => new SymmetricSecurityKey(fixture.HmacKey) { KeyId = "hs" },
        };

        // Fixtures share one RSA key and dispose their RSA objects: never reuse a cached provider across tests.
        key.CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = TestJwt.Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "user-1"), new Claim("role", "reader")]),
            IssuedAt = ValidatorFixture.Now.UtcDateTime,
            NotBefore = ValidatorFixture.Now.UtcDateTime,
            Expires = ValidatorFixture.Now.AddMinutes(5).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, algorithm),
        };
        if (tokenType is not null)
        {
            descriptor.TokenType = tokenType;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
