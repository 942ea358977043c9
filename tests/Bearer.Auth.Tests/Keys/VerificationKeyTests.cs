using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bearer.Auth.Tests.Keys;

/// <summary>
/// RFC 8725 §3.1/§3.5 at configuration time: weak keys are refused with a message that says what to fix, and every
/// key is bound to exactly one algorithm of its own family (and curve).
/// </summary>
public sealed class VerificationKeyTests
{
    [Theory]
    [InlineData("HS256", 31, 32)]
    [InlineData("HS256", 16, 32)]
    [InlineData("HS256", 1, 32)]
    [InlineData("HS384", 47, 48)]
    [InlineData("HS384", 32, 48)]
    [InlineData("HS512", 63, 64)]
    [InlineData("HS512", 32, 64)]
    public void Hmac_key_shorter_than_the_hash_output_is_refused_with_the_minimum_in_the_message(string alg, int length, int minimum)
    {
        var error = Assert.Throws<ArgumentException>(() => VerificationKey.Symmetric(new byte[length], alg));

        Assert.Equal("key", error.ParamName);
        Assert.Contains($"at least {minimum} bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains($"has {length}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public void Empty_hmac_key_is_refused(string alg)
    {
        Assert.Throws<ArgumentException>(() => VerificationKey.Symmetric([], alg));
        Assert.Throws<ArgumentException>(() => VerificationKey.Symmetric(ReadOnlySpan<byte>.Empty, alg));
    }

    [Theory]
    [InlineData("HS256", 32)]
    [InlineData("HS384", 48)]
    [InlineData("HS512", 64)]
    [InlineData("HS256", 100)]
    public void Hmac_key_of_at_least_the_hash_size_is_bound_to_its_algorithm(string alg, int length)
    {
        var key = VerificationKey.Symmetric(new byte[length], alg, "k", "https://issuer.test");

        Assert.Equal(alg, key.Algorithm);
        Assert.Equal("oct", key.KeyType);
        Assert.Equal("k", key.KeyId);
        Assert.Equal("https://issuer.test", key.Issuer);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("none")]
    [InlineData("hs256")]
    [InlineData("HS256 ")]
    [InlineData("")]
    public void Hmac_key_for_a_non_hmac_algorithm_is_refused(string alg)
    {
        var error = Assert.Throws<ArgumentException>(() => VerificationKey.Symmetric(new byte[64], alg));

        Assert.Equal("algorithm", error.ParamName);
    }

    [Fact]
    public void Hmac_secret_is_copied_so_later_changes_do_not_affect_the_key()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var key = VerificationKey.Symmetric(secret);
        var input = "a.b"u8.ToArray();
        var mac = HMACSHA256.HashData(secret, input);

        Array.Clear(secret);

        Assert.True(key.Verify(input, mac));
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(1536)]
    [InlineData(2040)]
    public void Rsa_key_under_2048_bits_is_refused(int bits)
    {
        var parameters = new RSAParameters { Modulus = Odd(bits / 8), Exponent = [1, 0, 1] };

        var error = Assert.Throws<ArgumentException>(() => VerificationKey.Rsa(parameters));

        Assert.Contains("at least 2048 bits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rsa_key_size_counts_bits_not_bytes()
    {
        // 256 bytes, but the top byte is 0x01: a 2041-bit modulus.
        var modulus = Odd(256);
        modulus[0] = 0x01;

        var error = Assert.Throws<ArgumentException>(() => VerificationKey.Rsa(new RSAParameters { Modulus = modulus, Exponent = [1, 0, 1] }));

        Assert.Contains("this one has 2041", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rsa_1024_bit_key_object_is_refused()
    {
        using var rsa = RSA.Create(1024);

        Assert.Throws<ArgumentException>(() => VerificationKey.Rsa(rsa));
    }

    [Fact]
    public void Rsa_modulus_with_leading_zero_bytes_is_measured_without_them()
    {
        var padded = new RSAParameters { Modulus = [0, 0, .. Odd(255)], Exponent = [1, 0, 1] };

        Assert.Throws<ArgumentException>(() => VerificationKey.Rsa(padded));
    }

    [Theory]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 0, 1 })]
    [InlineData(new byte[] { 2 })]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 1, 0, 0 })]
    [InlineData(new byte[0])]
    public void Rsa_key_with_an_unusable_exponent_is_refused(byte[] exponent)
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        parameters.Exponent = exponent;

        var error = Assert.Throws<ArgumentException>(() => VerificationKey.Rsa(parameters));

        Assert.Contains("exponent", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("PS384")]
    public void Rsa_key_is_bound_to_the_one_rsa_algorithm_it_was_created_for(string alg)
    {
        using var rsa = RSA.Create(2048);

        var key = VerificationKey.Rsa(rsa, alg);

        Assert.Equal(alg, key.Algorithm);
        Assert.Equal("RSA", key.KeyType);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("ES256")]
    [InlineData("rs256")]
    [InlineData("PS")]
    [InlineData("RSA-OAEP")]
    public void Rsa_key_for_a_non_rsa_algorithm_is_refused(string alg)
    {
        using var rsa = RSA.Create(2048);

        Assert.Throws<ArgumentException>(() => VerificationKey.Rsa(rsa, alg));
    }

    [Theory]
    [InlineData("nistP256", "ES256", "ES384")]
    [InlineData("nistP256", "ES256", "ES512")]
    [InlineData("nistP384", "ES384", "ES256")]
    [InlineData("nistP521", "ES512", "ES256")]
    [InlineData("nistP521", "ES512", "ES384")]
    [InlineData("nistP256", "ES256", "RS256")]
    [InlineData("nistP256", "ES256", "HS256")]
    public void Ec_key_is_bound_to_its_curve_algorithm_and_refuses_any_other(string curve, string own, string other)
    {
        using var ecdsa = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));

        Assert.Equal(own, VerificationKey.Ecdsa(ecdsa).Algorithm);
        Assert.Equal(own, VerificationKey.Ecdsa(ecdsa, own).Algorithm);
        Assert.Equal("EC", VerificationKey.Ecdsa(ecdsa).KeyType);
        var error = Assert.Throws<ArgumentException>(() => VerificationKey.Ecdsa(ecdsa, other));
        Assert.Contains(own, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ec_key_on_an_unsupported_curve_is_refused()
    {
        using var k256 = ECDsa.Create(ECCurve.CreateFromValue("1.3.132.0.10"));

        var error = Assert.Throws<ArgumentException>(() => VerificationKey.Ecdsa(k256));

        Assert.Contains("P-256, P-384 and P-521", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ec_point_off_the_curve_or_of_the_wrong_size_is_refused()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ecdsa.ExportParameters(false);
        var offCurve = new ECParameters { Curve = parameters.Curve, Q = new ECPoint { X = parameters.Q.X, Y = [.. parameters.Q.Y![..^1], (byte)(parameters.Q.Y![^1] ^ 1)] } };
        var shortX = new ECParameters { Curve = parameters.Curve, Q = new ECPoint { X = parameters.Q.X![1..], Y = parameters.Q.Y } };

        Assert.Throws<ArgumentException>(() => VerificationKey.Ecdsa(offCurve));
        Assert.Throws<ArgumentException>(() => VerificationKey.Ecdsa(shortX));
    }

    [Fact]
    public void Certificate_keys_take_the_certificates_key_type_and_default_algorithm()
    {
        using var rsa = RSA.Create(2048);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsaCert = new CertificateRequest("CN=rsa", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        using var ecCert = new CertificateRequest("CN=ec", ecdsa, HashAlgorithmName.SHA384).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(JwsAlgorithms.RS256, VerificationKey.Certificate(rsaCert).Algorithm);
        Assert.Equal(JwsAlgorithms.PS256, VerificationKey.Certificate(rsaCert, JwsAlgorithms.PS256).Algorithm);
        Assert.Equal(JwsAlgorithms.ES384, VerificationKey.Certificate(ecCert).Algorithm);
        Assert.Throws<ArgumentException>(() => VerificationKey.Certificate(ecCert, JwsAlgorithms.ES256));
    }

    private static byte[] Odd(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        bytes[0] |= 0x80;
        bytes[^1] |= 1;
        return bytes;
    }

    [Fact]
    public void Keys_are_the_same_key_only_when_algorithm_kid_issuer_and_material_all_match()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var key = VerificationKey.Symmetric(secret, keyId: "a", issuer: "https://i.test");
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherEc = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);

        Assert.True(key.IsSameKeyAs(VerificationKey.Symmetric(secret, keyId: "a", issuer: "https://i.test")));
        Assert.False(key.IsSameKeyAs(VerificationKey.Symmetric(secret, keyId: "b", issuer: "https://i.test")));
        Assert.False(key.IsSameKeyAs(VerificationKey.Symmetric(secret, keyId: "a", issuer: "https://j.test")));
        Assert.False(key.IsSameKeyAs(VerificationKey.Symmetric(RandomNumberGenerator.GetBytes(32), keyId: "a", issuer: "https://i.test")));
        Assert.True(VerificationKey.Ecdsa(ec, keyId: "e").IsSameKeyAs(VerificationKey.Ecdsa(ec, keyId: "e")));
        Assert.False(VerificationKey.Ecdsa(ec, keyId: "e").IsSameKeyAs(VerificationKey.Ecdsa(otherEc, keyId: "e")));
        Assert.True(VerificationKey.Rsa(rsa, keyId: "r").IsSameKeyAs(VerificationKey.Rsa(rsa, keyId: "r")));
        Assert.False(VerificationKey.Rsa(rsa, JwsAlgorithms.RS256, "r").IsSameKeyAs(VerificationKey.Rsa(rsa, JwsAlgorithms.PS256, "r")));
    }
}
