using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 8725 §3.4: RSA signatures are exactly the modulus length; the integers 0, 1, n and n±1 never verify; PSS
/// salt length equals the hash length (RFC 7518 §3.5); PKCS#1 v1.5 signatures never pass under a PS header.
/// </summary>
public sealed class RsaSignatureTests
{
    private const string Header = """{"alg":"RS256","kid":"rs","typ":"JWT"}""";

    public static TheoryData<string> ForgedSignatures =>
    [
        "zero", "one", "n", "n-1", "n+1", "all-ff", "leading-zero-added", "trailing-zero-added", "first-byte-dropped",
        "last-byte-dropped", "half-length", "doubled", "pss-signature", "empty",
    ];

    [Theory]
    [MemberData(nameof(ForgedSignatures))]
    public async Task Rs256_signature_integer_edge_cases_and_wrong_lengths_are_refused(string recipe)
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Rs(fixture.Rsa, fixture.ValidPayload(), headerJson: Header);
        var signature = RawJwt.Signature(token);
        var modulus = fixture.Rsa.ExportParameters(false).Modulus!;
        var n = Signatures.ToInteger(modulus);
        var width = modulus.Length;
        byte[] forged = recipe switch
        {
            "zero" => new byte[width],
            "one" => Signatures.ToBytes(BigInteger.One, width),
            "n" => modulus,
            "n-1" => Signatures.ToBytes(n - 1, width),
            "n+1" => Signatures.ToBytes(n + 1, width),
            "all-ff" => Enumerable.Repeat((byte)0xFF, width).ToArray(),
            "leading-zero-added" => [0, .. signature],
            "trailing-zero-added" => [.. signature, 0],
            "first-byte-dropped" => signature[1..],
            "last-byte-dropped" => signature[..^1],
            "half-length" => signature[..(width / 2)],
            "doubled" => [.. signature, .. signature],
            "pss-signature" => fixture.Rsa.SignData(Encoding.ASCII.GetBytes(RawJwt.SigningInput(token)), HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            _ => [],
        };

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(RawJwt.WithSignature(token, forged)));
    }

    [Fact]
    public async Task Signature_with_a_leading_zero_byte_verifies_at_full_length_only()
    {
        using var fixture = new ValidatorFixture();
        string token;
        var attempt = 0;
        do
        {
            // About one PKCS#1 signature in 256 starts with a zero byte; vary the payload until one does.
            token = TestJwt.Rs(fixture.Rsa, fixture.ValidPayload($$"""
                "jti":"{{attempt++}}"
                """), headerJson: Header);
        }
        while (RawJwt.Signature(token)[0] != 0);
        var signature = RawJwt.Signature(token);

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(RawJwt.WithSignature(token, signature[1..])));
    }

    [Theory]
    [InlineData("PS256", 0)]
    [InlineData("PS256", 20)]
    [InlineData("PS256", 31)]
    [InlineData("PS256", 33)]
    [InlineData("PS256", 64)]
    [InlineData("PS384", 32)]
    [InlineData("PS384", 64)]
    [InlineData("PS512", 32)]
    [InlineData("PS512", 0)]
    public void Pss_signature_whose_salt_length_differs_from_the_hash_length_is_refused(string alg, int saltLength)
    {
        using var rsa = RSA.Create(2048);
        var key = VerificationKey.Rsa(rsa, alg);
        var input = Encoding.ASCII.GetBytes("eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiJ4In0");
        var hash = TestJwt.HashOf(alg);
        var hashLength = alg[2..] switch { "384" => 48, "512" => 64, _ => 32 };

        // The hand-made PSS is right: with salt length = hash length it verifies.
        Assert.True(key.Verify(input, Signatures.PssSign(rsa, input, hash, hashLength)));
        Assert.False(key.Verify(input, Signatures.PssSign(rsa, input, hash, saltLength)));
    }

    [Fact]
    public async Task Pss_token_with_a_zero_length_salt_is_refused()
    {
        using var rsa = RSA.Create(2048);
        using var fixture = new ValidatorFixture(o => o.VerificationKeys.Add(VerificationKey.Rsa(rsa, JwsAlgorithms.PS256, "ps")));
        var good = TestJwt.Sign("""{"alg":"PS256","kid":"ps"}""", fixture.ValidPayload(), input => Signatures.PssSign(rsa, input, HashAlgorithmName.SHA256, 32));
        var noSalt = TestJwt.Sign("""{"alg":"PS256","kid":"ps"}""", fixture.ValidPayload(), input => Signatures.PssSign(rsa, input, HashAlgorithmName.SHA256, 0));

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(good));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(noSalt));
    }

    [Theory]
    [InlineData("PS256")]
    [InlineData("PS384")]
    [InlineData("PS512")]
    public async Task Pkcs1_signature_under_a_ps_header_is_refused(string alg)
    {
        using var rsa = RSA.Create(2048);
        using var fixture = new ValidatorFixture(o => o.VerificationKeys.Add(VerificationKey.Rsa(rsa, alg, "ps")));
        var header = $$"""{"alg":"{{alg}}","kid":"ps"}""";
        var pss = TestJwt.Rs(rsa, fixture.ValidPayload(), alg, header);
        var pkcs1 = TestJwt.Sign(header, fixture.ValidPayload(), input => rsa.SignData(input, TestJwt.HashOf(alg), RSASignaturePadding.Pkcs1));

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(pss));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(pkcs1));
    }
}
