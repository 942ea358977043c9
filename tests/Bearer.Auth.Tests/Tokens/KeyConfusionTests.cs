using System.Security.Cryptography;
using System.Text;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 8725 §3.1: the algorithm executed equals the header's <c>alg</c> and every key is bound to one algorithm and
/// key type. Public keys are never HMAC secrets (in any encoding), and keys never cross hash, curve or padding.
/// </summary>
public sealed class KeyConfusionTests
{
    public static TheoryData<string> RsaEncodings => ["spki-pem", "spki-pem-lf", "pkcs1-pem", "spki-der", "pkcs1-der", "jwk-json", "modulus", "modulus-b64url"];

    public static TheoryData<string> EcEncodings => ["spki-pem", "spki-pem-lf", "spki-der", "jwk-json", "x-y", "uncompressed-point", "x"];

    [Theory]
    [MemberData(nameof(RsaEncodings))]
    public async Task Rsa_public_key_used_as_hmac_secret_never_verifies(string encoding)
    {
        using var fixture = new ValidatorFixture();
        var secret = RsaPublicKeyAs(fixture.Rsa, encoding);

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(HsWithSecret(fixture, secret, "rs")));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(HsWithSecret(fixture, secret, kid: null)));
    }

    [Theory]
    [MemberData(nameof(RsaEncodings))]
    public async Task Rsa_public_key_used_as_hmac_secret_never_verifies_even_when_a_careless_resolver_returns_the_rsa_key(string encoding)
    {
        using var fixture = new ValidatorFixture(o => o.KeyResolver = SubstituteResolver.Returning([.. o.VerificationKeys]));
        var secret = RsaPublicKeyAs(fixture.Rsa, encoding);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(HsWithSecret(fixture, secret, "rs")));
    }

    [Theory]
    [MemberData(nameof(EcEncodings))]
    public async Task Ec_public_key_used_as_hmac_secret_never_verifies(string encoding)
    {
        using var fixture = new ValidatorFixture();
        var secret = EcPublicKeyAs(fixture.Ecdsa, encoding);

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(HsWithSecret(fixture, secret, "es")));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(HsWithSecret(fixture, secret, kid: null)));
    }

    [Theory]
    [MemberData(nameof(EcEncodings))]
    public async Task Ec_public_key_used_as_hmac_secret_never_verifies_even_when_a_careless_resolver_returns_the_ec_key(string encoding)
    {
        using var fixture = new ValidatorFixture(o => o.KeyResolver = SubstituteResolver.Returning([.. o.VerificationKeys]));
        var secret = EcPublicKeyAs(fixture.Ecdsa, encoding);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(HsWithSecret(fixture, secret, "es")));
    }

    [Theory]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task Hs256_key_never_verifies_a_longer_hmac(string alg)
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), alg, $$"""{"alg":"{{alg}}","kid":"hs"}""");
        using var careless = new ValidatorFixture(o => o.KeyResolver = SubstituteResolver.Returning(VerificationKey.Symmetric(fixture.HmacKey, keyId: "hs")));

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(token));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await careless.FailureOf(token));
    }

    [Fact]
    public async Task Hs512_key_never_verifies_hs256_made_with_the_same_secret()
    {
        var secret = RandomNumberGenerator.GetBytes(64);
        using var fixture = new ValidatorFixture(o => o.VerificationKeys.Add(VerificationKey.Symmetric(secret, JwsAlgorithms.HS512, keyId: "hs512")));
        var hs256 = TestJwt.Hs(secret, fixture.ValidPayload(), "HS256", """{"alg":"HS256","kid":"hs512"}""");
        var hs512 = TestJwt.Hs(secret, fixture.ValidPayload(), "HS512", """{"alg":"HS512","kid":"hs512"}""");

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(hs256));
        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(hs512));
    }

    [Fact]
    public async Task P384_key_never_verifies_es256_but_verifies_es384()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var fixture = new ValidatorFixture(o => o.VerificationKeys.Add(VerificationKey.Ecdsa(p384, keyId: "p384")));
        var es256 = TestJwt.Es(p384, fixture.ValidPayload(), "ES256", """{"alg":"ES256","kid":"p384"}""");
        var es384 = TestJwt.Es(p384, fixture.ValidPayload(), "ES384", """{"alg":"ES384","kid":"p384"}""");
        using var careless = new ValidatorFixture(o => o.KeyResolver = SubstituteResolver.Returning(VerificationKey.Ecdsa(p384, keyId: "p384")));

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(es256));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await careless.FailureOf(es256));
        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(es384));
    }

    [Theory]
    [InlineData("PS256")]
    [InlineData("PS384")]
    [InlineData("PS512")]
    public async Task Rs256_key_never_verifies_pss(string alg)
    {
        using var fixture = new ValidatorFixture(o => o.KeyResolver = SubstituteResolver.Returning([.. o.VerificationKeys]));
        using var strict = new ValidatorFixture();
        var token = TestJwt.Rs(fixture.Rsa, fixture.ValidPayload(), alg, $$"""{"alg":"{{alg}}","kid":"rs"}""");
        var rsKey = VerificationKey.Rsa(fixture.Rsa, JwsAlgorithms.RS256);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(token));
        Assert.Equal(TokenFailureReason.KeyNotFound, await strict.FailureOf(TestJwt.Rs(strict.Rsa, strict.ValidPayload(), alg, $$"""{"alg":"{{alg}}","kid":"rs"}""")));
        Assert.False(rsKey.Verify(Encoding.ASCII.GetBytes(RawJwt.SigningInput(token)), RawJwt.Signature(token)));
    }

    [Fact]
    public async Task Ps256_key_never_verifies_pkcs1()
    {
        using var rsa = RSA.Create(2048);
        var psKey = VerificationKey.Rsa(rsa, JwsAlgorithms.PS256, "ps");
        using var fixture = new ValidatorFixture(o => o.VerificationKeys.Add(psKey));
        using var careless = new ValidatorFixture(o => o.KeyResolver = SubstituteResolver.Returning(psKey));
        var rs256 = TestJwt.Rs(rsa, fixture.ValidPayload(), "RS256", """{"alg":"RS256","kid":"ps"}""");

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(rs256));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await careless.FailureOf(rs256));
    }

    [Theory]
    [InlineData("RS256", "es")]
    [InlineData("ES256", "rs")]
    [InlineData("ES256", "hs")]
    [InlineData("RS256", "hs")]
    public async Task Kid_of_a_key_of_another_type_finds_no_key(string alg, string kid)
    {
        using var fixture = new ValidatorFixture();
        var token = alg.StartsWith("RS", StringComparison.Ordinal)
            ? TestJwt.Rs(fixture.Rsa, fixture.ValidPayload(), alg, $$"""{"alg":"{{alg}}","kid":"{{kid}}"}""")
            : TestJwt.Es(fixture.Ecdsa, fixture.ValidPayload(), alg, $$"""{"alg":"{{alg}}","kid":"{{kid}}"}""");

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(token));
    }

    [Fact]
    public void Ecdsa_key_cannot_be_created_for_an_algorithm_of_another_curve()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<ArgumentException>(() => VerificationKey.Ecdsa(p384, JwsAlgorithms.ES256));
        Assert.Contains("ES384", error.Message, StringComparison.Ordinal);
    }

    private static string HsWithSecret(ValidatorFixture fixture, byte[] secret, string? kid)
    {
        var header = kid is null ? """{"alg":"HS256","typ":"JWT"}""" : $$"""{"alg":"HS256","kid":"{{kid}}","typ":"JWT"}""";
        return TestJwt.Hs(secret, fixture.ValidPayload(), headerJson: header);
    }

    private static byte[] RsaPublicKeyAs(RSA rsa, string encoding)
    {
        var p = rsa.ExportParameters(false);
        return encoding switch
        {
            "spki-pem" => Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()),
            "spki-pem-lf" => Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem() + "\n"),
            "pkcs1-pem" => Encoding.ASCII.GetBytes(rsa.ExportRSAPublicKeyPem()),
            "spki-der" => rsa.ExportSubjectPublicKeyInfo(),
            "pkcs1-der" => rsa.ExportRSAPublicKey(),
            "jwk-json" => Encoding.UTF8.GetBytes($$"""{"kty":"RSA","n":"{{TestJwt.B64(p.Modulus!)}}","e":"{{TestJwt.B64(p.Exponent!)}}"}"""),
            "modulus" => p.Modulus!,
            _ => Encoding.ASCII.GetBytes(TestJwt.B64(p.Modulus!)),
        };
    }

    private static byte[] EcPublicKeyAs(ECDsa ecdsa, string encoding)
    {
        var p = ecdsa.ExportParameters(false);
        return encoding switch
        {
            "spki-pem" => Encoding.ASCII.GetBytes(ecdsa.ExportSubjectPublicKeyInfoPem()),
            "spki-pem-lf" => Encoding.ASCII.GetBytes(ecdsa.ExportSubjectPublicKeyInfoPem() + "\n"),
            "spki-der" => ecdsa.ExportSubjectPublicKeyInfo(),
            "jwk-json" => Encoding.UTF8.GetBytes($$"""{"kty":"EC","crv":"P-256","x":"{{TestJwt.B64(p.Q.X!)}}","y":"{{TestJwt.B64(p.Q.Y!)}}"}"""),
            "x-y" => [.. p.Q.X!, .. p.Q.Y!],
            "uncompressed-point" => [0x04, .. p.Q.X!, .. p.Q.Y!],
            _ => p.Q.X!,
        };
    }
}
