using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 8725 §3.4: ECDSA signatures are exactly R‖S of the curve's size (IEEE P1363). Psychic signatures
/// (CVE-2022-21449: r = s = 0), r = s = n, DER encodings and wrong lengths fail; the high-S twin of a valid signature
/// is still valid (JWS does not require low-S).
/// </summary>
public sealed class EcdsaSignatureTests
{
    private const string Header = """{"alg":"ES256","kid":"es","typ":"JWT"}""";

    public static TheoryData<string> ForgedEs256Signatures =>
    [
        "r=s=0", "r=s=n", "r=s=1", "r=0", "s=0", "r=n", "s=n", "s=n+s", "der", "extra-trailing-byte", "extra-leading-zero",
        "missing-last-byte", "missing-first-byte", "96-bytes", "132-bytes", "all-ff", "r-only", "empty",
    ];

    [Fact]
    public async Task Valid_es256_signature_and_its_high_s_twin_both_verify()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Es(fixture.Ecdsa, fixture.ValidPayload(), headerJson: Header);
        var twin = RawJwt.WithSignature(token, Signatures.NegateS(RawJwt.Signature(token), Signatures.P256Order));

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(twin));
    }

    [Theory]
    [MemberData(nameof(ForgedEs256Signatures))]
    public async Task Forged_or_misencoded_es256_signature_is_refused(string recipe)
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Es(fixture.Ecdsa, fixture.ValidPayload(), headerJson: Header);
        var forged = RawJwt.WithSignature(token, Mutate(RawJwt.Signature(token), recipe, Signatures.P256Order));

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(forged));
    }

    [Theory]
    [InlineData("ES256", 32)]
    [InlineData("ES384", 48)]
    [InlineData("ES512", 66)]
    public void Psychic_and_misencoded_signatures_fail_on_every_curve(string alg, int fieldSize)
    {
        using var ecdsa = ECDsa.Create(alg switch
        {
            "ES384" => ECCurve.NamedCurves.nistP384,
            "ES512" => ECCurve.NamedCurves.nistP521,
            _ => ECCurve.NamedCurves.nistP256,
        });
        var order = alg switch
        {
            "ES384" => Signatures.P384Order,
            "ES512" => Signatures.P521Order,
            _ => Signatures.P256Order,
        };
        var key = VerificationKey.Ecdsa(ecdsa);
        var input = Encoding.ASCII.GetBytes("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0");
        var signature = ecdsa.SignData(input, TestJwt.HashOf(alg));

        Assert.Equal(alg, key.Algorithm);
        Assert.Equal(2 * fieldSize, signature.Length);
        Assert.True(key.Verify(input, signature));
        Assert.True(key.Verify(input, Signatures.NegateS(signature, order)));
        Assert.False(key.Verify(input, new byte[2 * fieldSize]));
        Assert.False(key.Verify(input, Signatures.P1363(order, order, fieldSize)));
        Assert.False(key.Verify(input, Signatures.ToDer(signature)));
        Assert.False(key.Verify(input, [.. signature, 0]));
        Assert.False(key.Verify(input, [0, .. signature]));
        Assert.False(key.Verify(input, signature.AsSpan(0, signature.Length - 1)));
        Assert.False(key.Verify(input, []));
    }

    private static byte[] Mutate(byte[] signature, string recipe, BigInteger order)
    {
        var r = Signatures.ToInteger(signature.AsSpan(0, 32));
        var s = Signatures.ToInteger(signature.AsSpan(32));
        return recipe switch
        {
            "r=s=0" => new byte[64],
            "r=s=n" => Signatures.P1363(order, order, 32),
            "r=s=1" => Signatures.P1363(1, 1, 32),
            "r=0" => Signatures.P1363(0, s, 32),
            "s=0" => Signatures.P1363(r, 0, 32),
            "r=n" => Signatures.P1363(order, s, 32),
            "s=n" => Signatures.P1363(r, order, 32),
            "s=n+s" => s + order < BigInteger.One << 256 ? Signatures.P1363(r, s + order, 32) : Signatures.P1363(r, order, 32),
            "der" => Signatures.ToDer(signature),
            "extra-trailing-byte" => [.. signature, 0],
            "extra-leading-zero" => [0, .. signature],
            "missing-last-byte" => signature[..^1],
            "missing-first-byte" => signature[1..],
            "96-bytes" => [.. signature, .. new byte[32]],
            "132-bytes" => [.. new byte[2], .. signature[..32], .. new byte[34], .. signature[32..]],
            "all-ff" => Enumerable.Repeat((byte)0xFF, 64).ToArray(),
            "r-only" => signature[..32],
            _ => [],
        };
    }
}
