using System.Net.Http;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 8725 §3.10: keys and key URLs carried by the token (<c>jwk</c>, <c>x5c</c>, <c>jku</c>, <c>x5u</c>) are never
/// trusted or fetched. A token signed with the key it carries fails; the validator has no way to make a request.
/// </summary>
public sealed class EmbeddedKeyHeaderTests
{
    [Fact]
    public async Task Token_signed_by_its_embedded_rsa_jwk_is_refused()
    {
        using var attacker = RSA.Create(2048);
        using var fixture = new ValidatorFixture();
        var jwk = RsaJwk(attacker, "rs");

        var noKid = TestJwt.Rs(attacker, fixture.ValidPayload(), headerJson: $$"""{"alg":"RS256","jwk":{{jwk}}}""");
        var ownKid = TestJwt.Rs(attacker, fixture.ValidPayload(), headerJson: $$"""{"alg":"RS256","kid":"attacker","jwk":{{RsaJwk(attacker, "attacker")}}}""");
        var configuredKid = TestJwt.Rs(attacker, fixture.ValidPayload(), headerJson: $$"""{"alg":"RS256","kid":"rs","jwk":{{jwk}}}""");

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(noKid));
        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(ownKid));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(configuredKid));
    }

    [Fact]
    public async Task Token_signed_by_its_embedded_ec_or_oct_jwk_is_refused()
    {
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = attacker.ExportParameters(false);
        var secret = RandomNumberGenerator.GetBytes(32);
        using var fixture = new ValidatorFixture();
        var ecJwk = $$"""{"kty":"EC","crv":"P-256","x":"{{TestJwt.B64(p.Q.X!)}}","y":"{{TestJwt.B64(p.Q.Y!)}}"}""";
        var octJwk = $$"""{"kty":"oct","k":"{{TestJwt.B64(secret)}}"}""";

        var es = TestJwt.Es(attacker, fixture.ValidPayload(), headerJson: $$"""{"alg":"ES256","jwk":{{ecJwk}}}""");
        var hs = TestJwt.Hs(secret, fixture.ValidPayload(), headerJson: $$"""{"alg":"HS256","jwk":{{octJwk}}}""");

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(es));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(hs));
    }

    [Fact]
    public async Task Token_signed_by_the_key_of_its_embedded_x5c_certificate_is_refused()
    {
        using var attacker = RSA.Create(2048);
        var request = new CertificateRequest("CN=attacker", attacker, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var x5c = Convert.ToBase64String(certificate.RawData);
        using var fixture = new ValidatorFixture();

        var noKid = TestJwt.Rs(attacker, fixture.ValidPayload(), headerJson: $$"""{"alg":"RS256","x5c":["{{x5c}}"]}""");
        var withKid = TestJwt.Rs(attacker, fixture.ValidPayload(), headerJson: $$"""{"alg":"RS256","kid":"attacker","x5c":["{{x5c}}"],"x5t#S256":"abc"}""");

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(noKid));
        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(withKid));
    }

    [Theory]
    [InlineData("jku", "https://attacker.example/jwks.json")]
    [InlineData("jku", "http://169.254.169.254/latest/meta-data/")]
    [InlineData("x5u", "https://attacker.example/cert.pem")]
    [InlineData("jku", "file:///etc/passwd")]
    public async Task Key_url_in_the_header_is_never_fetched_and_the_lookup_completes_synchronously(string member, string url)
    {
        using var attacker = RSA.Create(2048);
        using var fixture = new ValidatorFixture();
        var forged = TestJwt.Rs(attacker, fixture.ValidPayload(), headerJson: $$"""{"alg":"RS256","kid":"attacker","{{member}}":"{{url}}"}""");
        var honest = TestJwt.Rs(fixture.Rsa, fixture.ValidPayload(), headerJson: $$"""{"alg":"RS256","kid":"rs","{{member}}":"{{url}}"}""");

        var forgedValidation = fixture.Validator.ValidateAsync(forged, TestContext.Current.CancellationToken);
        var honestValidation = fixture.Validator.ValidateAsync(honest, TestContext.Current.CancellationToken);

        // No I/O happens: both results are there without awaiting anything.
        Assert.True(forgedValidation.IsCompletedSuccessfully);
        Assert.True(honestValidation.IsCompletedSuccessfully);
        Assert.Equal(TokenFailureReason.KeyNotFound, (await forgedValidation).Failure);
        Assert.Equal(TokenFailureReason.None, (await honestValidation).Failure);
    }

    [Fact]
    public void Resolver_is_never_shown_key_urls_or_embedded_keys()
    {
        var properties = typeof(JwsHeader).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order();

        Assert.Equal(["Algorithm", "KeyId", "Type"], properties);
    }

    [Fact]
    public void Validator_and_static_resolver_hold_no_http_client()
    {
        // Only the remote key sources fetch; nothing the validator or the static keys are made of can.
        static bool IsRemote(Type? type) => type is not null && (type.Name.StartsWith("Remote", StringComparison.Ordinal) || IsRemote(type.DeclaringType));
        var types = typeof(BearerJwtValidator).Assembly.GetTypes().Where(t => !IsRemote(t)).ToList();

        Assert.NotEmpty(types);
        foreach (var type in types)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                Assert.False(
                    typeof(HttpMessageInvoker).IsAssignableFrom(field.FieldType) || field.FieldType == typeof(IHttpClientFactory),
                    $"{type.Name}.{field.Name} can make requests");
            }
        }
    }

    private static string RsaJwk(RSA rsa, string kid)
    {
        var p = rsa.ExportParameters(false);
        return $$"""{"kty":"RSA","kid":"{{kid}}","n":"{{TestJwt.B64(p.Modulus!)}}","e":"{{TestJwt.B64(p.Exponent!)}}"}""";
    }
}
