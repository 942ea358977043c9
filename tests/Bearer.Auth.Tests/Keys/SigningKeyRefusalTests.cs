using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Keys;

/// <summary>
/// <see cref="SigningKey"/> refuses, with an <see cref="ArgumentException"/> naming the caller's parameter, what would
/// sign weakly or not as JWS says: short HMAC secrets, RSA under 2048 bits, keys without their private part, curves and
/// algorithms that do not match, names that are not one of <see cref="JwsAlgorithms.All"/>, and a destination too small.
/// </summary>
public sealed class SigningKeyRefusalTests
{
    private static readonly byte[] SigningInput = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0"u8.ToArray();

    public static TheoryData<string> AllAlgorithms => [.. JwsAlgorithms.All];

    [Theory]
    [InlineData("HS256", 31)]
    [InlineData("HS256", 0)]
    [InlineData("HS384", 47)]
    [InlineData("HS384", 32)]
    [InlineData("HS512", 63)]
    [InlineData("HS512", 48)]
    public void Hmac_secret_shorter_than_the_hash_output_is_refused(string alg, int length)
    {
        var error = Assert.Throws<ArgumentException>(() => SigningKey.Symmetric(new byte[length], alg));

        Assert.Equal("secret", error.ParamName);
        Assert.Contains($"has {length}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rsa_1024_bit_key_is_refused()
    {
        using var rsa = RSA.Create(1024);

        var error = Assert.Throws<ArgumentException>(() => SigningKey.Rsa(rsa));

        Assert.Equal("rsa", error.ParamName);
        Assert.Contains("at least 2048 bits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rsa_object_holding_only_a_public_key_is_refused()
    {
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = SignedTokens.RsaPair.Modulus, Exponent = SignedTokens.RsaPair.Exponent });

        var error = Assert.Throws<ArgumentException>(() => SigningKey.Rsa(rsa));

        Assert.Equal("rsa", error.ParamName);
    }

    [Fact]
    public void Ecdsa_object_holding_only_a_public_key_is_refused()
    {
        using var pair = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportParameters(pair.ExportParameters(includePrivateParameters: false));

        var error = Assert.Throws<ArgumentException>(() => SigningKey.Ecdsa(ecdsa));

        Assert.Equal("ecdsa", error.ParamName);
    }

    [Fact]
    public void Ecdsa_key_on_an_unsupported_curve_is_refused()
    {
        using var secp256k1 = ECDsa.Create(ECCurve.CreateFromValue("1.3.132.0.10"));

        var error = Assert.Throws<ArgumentException>(() => SigningKey.Ecdsa(secp256k1));

        Assert.Equal("ecdsa", error.ParamName);
        Assert.Contains("P-256, P-384 and P-521", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nistP256", "ES384")]
    [InlineData("nistP256", "ES512")]
    [InlineData("nistP384", "ES256")]
    [InlineData("nistP521", "ES384")]
    [InlineData("nistP256", "RS256")]
    [InlineData("nistP256", "HS256")]
    [InlineData("nistP256", "es256")]
    public void Ecdsa_key_asked_for_an_algorithm_other_than_its_curves_is_refused(string curve, string alg)
    {
        using var ecdsa = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));

        var error = Assert.Throws<ArgumentException>(() => SigningKey.Ecdsa(ecdsa, alg));

        Assert.Equal("algorithm", error.ParamName);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("ES256")]
    [InlineData("rs256")]
    [InlineData("none")]
    [InlineData("RSA-OAEP")]
    public void Rsa_key_asked_for_a_non_rsa_algorithm_is_refused(string alg)
    {
        using var rsa = SignedTokens.NewRsa();

        var error = Assert.Throws<ArgumentException>(() => SigningKey.Rsa(rsa, alg));

        Assert.Equal("algorithm", error.ParamName);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("hs256")]
    [InlineData("none")]
    [InlineData("HS256 ")]
    public void Hmac_secret_asked_for_a_non_hmac_algorithm_is_refused(string alg)
    {
        var error = Assert.Throws<ArgumentException>(() => SigningKey.Symmetric(new byte[64], alg));

        Assert.Equal("algorithm", error.ParamName);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("hs256")]
    [InlineData("Es256")]
    [InlineData(" HS256")]
    [InlineData("HS256 ")]
    [InlineData("")]
    [InlineData("HS1")]
    [InlineData("EdDSA")]
    [InlineData("ES256K")]
    [InlineData("RSA-OAEP")]
    public void Generate_refuses_a_name_that_is_not_one_of_jws_algorithms_all(string alg)
    {
        var error = Assert.Throws<ArgumentException>(() => SigningKey.Generate(alg));

        Assert.Equal("algorithm", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(AllAlgorithms))]
    public void Sign_into_a_destination_smaller_than_the_signature_is_refused(string alg)
    {
        var key = SignedTokens.Generated(alg);
        var destination = new byte[key.SignatureSize - 1];

        var error = Assert.Throws<ArgumentException>(() => key.Sign(SigningInput, destination));
        Assert.Throws<ArgumentException>(() => key.Sign(SigningInput, Span<byte>.Empty));

        Assert.Equal("destination", error.ParamName);
        Assert.All(destination, b => Assert.Equal(0, b));
    }
}
