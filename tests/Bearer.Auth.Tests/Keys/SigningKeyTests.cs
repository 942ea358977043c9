using System.Buffers.Text;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bearer.Auth.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace Bearer.Auth.Tests.Keys;

// Over 300 lines: every algorithm signs, interoperates, reproduces the RFC vectors and keeps to its own key; the
// refusals are in SigningKeyRefusalTests.

/// <summary>
/// <see cref="SigningKey"/>: for every algorithm in <see cref="JwsAlgorithms.All"/> its tokens are accepted by our
/// validator and by Microsoft.IdentityModel; deterministic algorithms reproduce RFC 7515's signatures; signatures
/// have the sizes JWS defines; the <c>kid</c> it generates is the RFC 7638 thumbprint (never for a secret); weak or
/// mismatched keys and unknown algorithm names are refused; and a key signs for its own algorithm and material only.
/// </summary>
public sealed class SigningKeyTests
{
    // RFC 7638 §3.1: the example RSA key (also RFC 7517 Appendix A.1) and its thumbprint.
    private const string Rfc7638Modulus =
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

    private const string Rfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    private static readonly byte[] SigningInput = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0"u8.ToArray();

    public static TheoryData<string> AllAlgorithms => [.. JwsAlgorithms.All];

    public static TheoryData<string> AsymmetricAlgorithms => [.. JwsAlgorithms.All.Where(a => a[0] != 'H')];

    [Theory]
    [MemberData(nameof(AllAlgorithms))]
    public async Task Generated_key_signs_tokens_our_validator_and_microsoft_identitymodel_accept(string alg)
    {
        var key = SignedTokens.Generated(alg);
        var token = SignedTokens.Mint(key);

        var microsoft = await SignedTokens.MicrosoftValidateAsync(token, alg, SignedTokens.MicrosoftKeysFor(key));

        Assert.Equal(alg, key.Algorithm);
        Assert.Equal(alg, key.ToVerificationKey().Algorithm);
        Assert.Equal(TokenFailureReason.None, await SignedTokens.FailureOf(token, key.ToVerificationKey()));
        Assert.True(microsoft.IsValid, microsoft.Exception?.Message);
    }

    [Theory]
    [MemberData(nameof(AllAlgorithms))]
    public async Task Factory_key_signs_tokens_our_validator_and_microsoft_identitymodel_accept(string alg)
    {
        // The test's own secret goes to Microsoft's side, so neither side reads it back from our key.
        var secret = RandomNumberGenerator.GetBytes(SignedTokens.HashSizeOf(alg));
        var key = SignedTokens.FromFactory(alg, "factory", secret);
        var token = SignedTokens.Mint(key);
        var microsoft = await SignedTokens.MicrosoftValidateAsync(token, alg, SignedTokens.MicrosoftKeysFor(key, secret));

        Assert.Equal(TokenFailureReason.None, await SignedTokens.FailureOf(token, key.ToVerificationKey()));
        Assert.True(microsoft.IsValid, microsoft.Exception?.Message);
    }

    [Theory]
    [InlineData("nistP256", "ES256")]
    [InlineData("nistP384", "ES384")]
    [InlineData("nistP521", "ES512")]
    public void Ecdsa_factory_without_an_algorithm_takes_the_curves(string curve, string alg)
    {
        using var ecdsa = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));

        var key = SigningKey.Ecdsa(ecdsa);

        Assert.Equal(alg, key.Algorithm);
        Assert.Equal("EC", key.KeyType);
        Assert.Null(key.KeyId);
    }

    [Fact]
    public async Task Factories_copy_the_key_so_changing_or_disposing_the_source_does_not_change_the_signing_key()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var hmac = SigningKey.Symmetric(secret);
        var expectedMac = HMACSHA256.HashData(secret, SigningInput);
        Array.Clear(secret);
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ec = SigningKey.Ecdsa(ecdsa, keyId: "ec");
        ecdsa.Dispose();
        var rsa = SignedTokens.NewRsa();
        var rs = SigningKey.Rsa(rsa, keyId: "rs");
        rsa.Dispose();

        Assert.Equal(expectedMac, hmac.Sign(SigningInput));
        Assert.Equal(TokenFailureReason.None, await SignedTokens.FailureOf(SignedTokens.Mint(ec), ec.ToVerificationKey()));
        Assert.Equal(TokenFailureReason.None, await SignedTokens.FailureOf(SignedTokens.Mint(rs), rs.ToVerificationKey()));
    }

    [Theory]
    [InlineData("HS256", 32)]
    [InlineData("HS384", 48)]
    [InlineData("HS512", 64)]
    [InlineData("RS256", 256)]
    [InlineData("RS384", 256)]
    [InlineData("RS512", 256)]
    [InlineData("PS256", 256)]
    [InlineData("PS384", 256)]
    [InlineData("PS512", 256)]
    [InlineData("ES256", 64)]
    [InlineData("ES384", 96)]
    [InlineData("ES512", 132)]
    public void Signature_has_the_size_jws_defines_for_the_algorithm(string alg, int size)
    {
        var key = SignedTokens.Generated(alg);
        var into = new byte[size];

        Assert.Equal(size, key.SignatureSize);
        Assert.Equal(size, key.Sign(SigningInput).Length);
        Assert.Equal(size, key.Sign(SigningInput, into));
    }

    [Theory]
    [InlineData(2048, 256)]
    [InlineData(3072, 384)]
    public void Rsa_signature_is_as_long_as_the_modulus(int bits, int bytes)
    {
        using var rsa = bits == 2048 ? SignedTokens.NewRsa() : RSA.Create(bits);
        var key = SigningKey.Rsa(rsa, JwsAlgorithms.PS384);

        var signature = key.Sign(SigningInput);

        Assert.Equal(bytes, key.SignatureSize);
        Assert.Equal(bytes, signature.Length);
        Assert.True(rsa.VerifyData(SigningInput, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pss));
    }

    [Fact]
    public async Task Rsa_signature_of_a_modulus_not_a_whole_number_of_bytes_is_as_long_as_the_modulus()
    {
        // A 2049-bit modulus takes 257 bytes; so does every signature under it (RFC 8017 §8.2.1: k octets).
        var parameters = RsaParametersWithModulusBits(2049);
        using var rsa = RSA.Create();
        rsa.ImportParameters(parameters);
        var key = SigningKey.Rsa(rsa, JwsAlgorithms.RS256);

        var signature = key.Sign(SigningInput);

        Assert.Equal(257, key.SignatureSize);
        Assert.Equal(257, signature.Length);
        Assert.True(rsa.VerifyData(SigningInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal(TokenFailureReason.None, await SignedTokens.FailureOf(SignedTokens.Mint(key), key.ToVerificationKey()));
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    public void Ecdsa_signature_is_ieee_p1363_r_then_s_never_der(string alg)
    {
        using var ecdsa = ECDsa.Create(SignedTokens.CurveOf(alg));
        var key = SigningKey.Ecdsa(ecdsa, alg);
        var hash = TestJwt.HashOf(alg);

        var signature = key.Sign(SigningInput);

        Assert.True(ecdsa.VerifyData(SigningInput, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.False(ecdsa.VerifyData(SigningInput, signature, hash, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void Sign_into_a_larger_buffer_writes_exactly_the_signature_and_returns_its_length()
    {
        var secret = RandomNumberGenerator.GetBytes(48);
        var key = SigningKey.Symmetric(secret, JwsAlgorithms.HS384);
        var buffer = new byte[100];
        Array.Fill(buffer, (byte)0xAA);

        var written = key.Sign(SigningInput, buffer);

        Assert.Equal(48, written);
        Assert.Equal(HMACSHA384.HashData(secret, SigningInput), buffer[..48]);
        Assert.All(buffer[48..], b => Assert.Equal(0xAA, b));
    }

    [Fact]
    public void Hs256_signature_reproduces_rfc7515_a1_byte_for_byte()
    {
        var vector = Rfc7515("RFC 7515 A.1");
        var key = SigningKey.Symmetric(Base64Url.DecodeFromChars(Text(vector["jwk"]!["k"])), JwsAlgorithms.HS256);

        var signature = key.Sign(Encoding.ASCII.GetBytes(Text(vector["signingInput"])));

        Assert.Equal(Base64Url.DecodeFromChars(Text(vector["signatureB64u"])), signature);
    }

    [Fact]
    public void Rs256_signature_reproduces_rfc7515_a2_byte_for_byte()
    {
        var vector = Rfc7515("RFC 7515 A.2");
        var jwk = vector["jwk"]!;
        var modulus = Member(jwk, "n");
        var half = modulus.Length / 2;
        var parameters = new RSAParameters
        {
            Modulus = modulus,
            Exponent = Member(jwk, "e"),
            D = Member(jwk, "d", modulus.Length),
            P = Member(jwk, "p", half),
            Q = Member(jwk, "q", half),
            DP = Member(jwk, "dp", half),
            DQ = Member(jwk, "dq", half),
            InverseQ = Member(jwk, "qi", half),
        };
        using var rsa = RSA.Create();
        rsa.ImportParameters(parameters);
        var key = SigningKey.Rsa(rsa, JwsAlgorithms.RS256);

        var signature = key.Sign(Encoding.ASCII.GetBytes(Text(vector["signingInput"])));

        Assert.Equal(Base64Url.DecodeFromChars(Text(vector["signatureB64u"])), signature);
    }

    [Fact]
    public void Jwk_thumbprint_of_the_rfc7638_example_key_is_the_rfcs_value()
    {
        var key = VerificationKey.Rsa(new RSAParameters { Modulus = Base64Url.DecodeFromChars(Rfc7638Modulus), Exponent = [1, 0, 1] });
        var microsoft = new JsonWebKey { Kty = "RSA", N = Rfc7638Modulus, E = "AQAB" };

        Assert.Equal(Rfc7638Thumbprint, key.ComputeJwkThumbprint());
        Assert.Equal(Rfc7638Thumbprint, Base64UrlEncoder.Encode(microsoft.ComputeJwkThumbprint()));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    public void Jwk_thumbprint_equals_microsoft_identitymodels_for_the_same_public_key(string alg)
    {
        JsonWebKey microsoft;
        VerificationKey ours;
        if (alg[0] == 'R')
        {
            using var rsa = SignedTokens.NewRsa();
            microsoft = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)));
            ours = VerificationKey.Rsa(rsa, alg);
        }
        else
        {
            using var ecdsa = ECDsa.Create(SignedTokens.CurveOf(alg));
            microsoft = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ecdsa));
            ours = VerificationKey.Ecdsa(ecdsa, alg);
        }

        Assert.Equal(Base64UrlEncoder.Encode(microsoft.ComputeJwkThumbprint()), ours.ComputeJwkThumbprint());
    }

    [Theory]
    [MemberData(nameof(AsymmetricAlgorithms))]
    public void Generated_key_id_is_the_jwk_thumbprint_of_its_public_key(string alg)
    {
        var key = SignedTokens.Generated(alg);
        var published = Assert.Single(new Microsoft.IdentityModel.Tokens.JsonWebKeySet(Jwks.Write([key.ToVerificationKey()])).Keys);

        Assert.Equal(key.ToVerificationKey().ComputeJwkThumbprint(), key.KeyId);
        Assert.Equal(Base64UrlEncoder.Encode(published.ComputeJwkThumbprint()), key.KeyId);
        Assert.Equal(key.KeyId, key.ToVerificationKey().KeyId);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public void Generated_hmac_key_id_is_random_and_not_derived_from_the_secret(string alg)
    {
        var key = SigningKey.Generate(alg);
        var verification = key.ToVerificationKey();
        var secret = SignedTokens.SecretOf(verification);
        var kid = key.KeyId!;

        Assert.NotEqual(verification.ComputeJwkThumbprint(), kid);
        Assert.DoesNotContain(Convert.ToHexStringLower(secret)[..16], kid, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Base64Url.EncodeToString(secret)[..16], kid, StringComparison.Ordinal);
        foreach (var digest in new[] { SHA256.HashData(secret), SHA384.HashData(secret), SHA512.HashData(secret) })
        {
            Assert.DoesNotContain(Convert.ToHexStringLower(digest)[..16], kid, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Base64Url.EncodeToString(digest)[..16], kid, StringComparison.Ordinal);
        }

        Assert.NotEqual(kid, SigningKey.Generate(alg).KeyId);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("ES384")]
    public void Generate_keeps_an_explicit_key_id(string alg)
    {
        var key = SigningKey.Generate(alg, "my-key-2026");

        Assert.Equal("my-key-2026", key.KeyId);
        Assert.Equal("my-key-2026", key.ToVerificationKey().KeyId);
    }

    [Theory]
    [InlineData("RS256", "PS256")]
    [InlineData("PS256", "RS256")]
    [InlineData("RS384", "PS384")]
    [InlineData("PS512", "RS512")]
    public async Task Rsa_token_relabelled_to_the_other_padding_is_refused_by_that_paddings_key(string signedWith, string relabelledAs)
    {
        using var rsa = SignedTokens.NewRsa();
        var signer = SigningKey.Rsa(rsa, signedWith, "rsa");
        var otherPadding = SigningKey.Rsa(rsa, relabelledAs, "rsa");
        var relabelled = SignedTokens.Mint(signer, headerAlgorithm: relabelledAs);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await SignedTokens.FailureOf(relabelled, otherPadding.ToVerificationKey()));
        Assert.Equal(TokenFailureReason.None, await SignedTokens.FailureOf(SignedTokens.Mint(otherPadding), otherPadding.ToVerificationKey()));
    }

    [Theory]
    [InlineData("HS256", "HS512")]
    [InlineData("HS512", "HS256")]
    [InlineData("HS384", "HS256")]
    public async Task Hmac_token_relabelled_to_another_hash_is_refused_by_the_same_secret_bound_to_that_hash(string signedWith, string relabelledAs)
    {
        var secret = RandomNumberGenerator.GetBytes(64);
        var signer = SigningKey.Symmetric(secret, signedWith, "hs");
        var otherHash = SigningKey.Symmetric(secret, relabelledAs, "hs");
        var relabelled = SignedTokens.Mint(signer, headerAlgorithm: relabelledAs);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await SignedTokens.FailureOf(relabelled, otherHash.ToVerificationKey()));
        Assert.Equal(TokenFailureReason.None, await SignedTokens.FailureOf(SignedTokens.Mint(otherHash), otherHash.ToVerificationKey()));
    }

    [Theory]
    [MemberData(nameof(AllAlgorithms))]
    public async Task Token_signed_with_one_key_is_refused_by_another_keys_verification_key(string alg)
    {
        var signer = SignedTokens.Generated(alg);

        // Same algorithm and kid, other material: the lookup finds the key and the signature must fail.
        var other = SignedTokens.FromFactory(alg, signer.KeyId);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await SignedTokens.FailureOf(SignedTokens.Mint(signer), other.ToVerificationKey()));
        Assert.Equal(TokenFailureReason.None, await SignedTokens.FailureOf(SignedTokens.Mint(other), other.ToVerificationKey()));
    }

    [Fact]
    public async Task Verification_key_bound_to_an_issuer_refuses_a_token_from_another_issuer()
    {
        const string BoundIssuer = "https://bound-issuer.test";
        var key = SignedTokens.Generated(JwsAlgorithms.ES256);
        var bound = key.ToVerificationKey(BoundIssuer);
        var fromBound = SignedTokens.Mint(key, BoundIssuer);
        var fromOther = SignedTokens.Mint(key, SignedTokens.OtherIssuer);
        var ct = TestContext.Current.CancellationToken;

        // Only the binding makes BoundIssuer valid; OtherIssuer is valid too in the second validator, but has no key.
        var bindingOnly = SignedTokens.Validator([bound]);
        var bothIssuers = SignedTokens.Validator([bound], SignedTokens.OtherIssuer);

        Assert.Equal(BoundIssuer, bound.Issuer);
        Assert.Null(key.ToVerificationKey().Issuer);
        Assert.Equal(TokenFailureReason.None, (await bindingOnly.ValidateAsync(fromBound, ct)).Failure);
        Assert.Equal(TokenFailureReason.IssuerInvalid, (await bindingOnly.ValidateAsync(fromOther, ct)).Failure);
        Assert.Equal(TokenFailureReason.None, (await bothIssuers.ValidateAsync(fromBound, ct)).Failure);
        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, (await bothIssuers.ValidateAsync(fromOther, ct)).Failure);
    }

    private static JsonNode Rfc7515(string section) =>
        VectorFiles.Load("jose/rfc7515-appendix-a.json")["vectors"]!.AsArray().Single(v => Text(v!["section"]) == section)!;

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    /// <summary>A base64url JWK member as an unsigned integer, left-padded to <paramref name="width"/> bytes for the BCL.</summary>
    private static byte[] Member(JsonNode jwk, string name, int width = 0)
    {
        var value = Base64Url.DecodeFromChars(Text(jwk[name]));
        return value.Length >= width ? value : [.. new byte[width - value.Length], .. value];
    }

    /// <summary>
    /// An RSA key whose modulus has exactly <paramref name="bits"/> bits, for sizes the BCL will not generate (it
    /// generates whole bytes only): two random primes with their top two bits set, e = 65537, CRT values derived.
    /// </summary>
    private static RSAParameters RsaParametersWithModulusBits(int bits)
    {
        var e = new BigInteger(65537);
        while (true)
        {
            var p = RandomPrime((bits + 1) / 2);
            var q = RandomPrime(bits / 2);
            var n = p * q;
            var phi = (p - 1) * (q - 1);
            if (p == q || n.GetBitLength() != bits || !BigInteger.GreatestCommonDivisor(e, phi).IsOne)
            {
                continue;
            }

            var d = ModInverse(e, phi);
            var size = (bits + 7) / 8;
            var half = (size + 1) / 2;
            return new RSAParameters
            {
                Modulus = Signatures.ToBytes(n, size),
                Exponent = [1, 0, 1],
                D = Signatures.ToBytes(d, size),
                P = Signatures.ToBytes(p, half),
                Q = Signatures.ToBytes(q, half),
                DP = Signatures.ToBytes(d % (p - 1), half),
                DQ = Signatures.ToBytes(d % (q - 1), half),
                InverseQ = Signatures.ToBytes(ModInverse(q, p), half),
            };
        }
    }

    private static BigInteger RandomPrime(int bits)
    {
        int[] smallPrimes = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97];
        while (true)
        {
            var bytes = RandomNumberGenerator.GetBytes((bits + 7) / 8);
            var candidate = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            candidate &= (BigInteger.One << bits) - 1;
            candidate |= (BigInteger.One << (bits - 1)) | (BigInteger.One << (bits - 2)) | BigInteger.One;
            if (smallPrimes.All(sp => !(candidate % sp).IsZero) && IsProbablePrime(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Miller–Rabin with 32 random bases.</summary>
    private static bool IsProbablePrime(BigInteger n)
    {
        var d = n - 1;
        var r = 0;
        while (d.IsEven)
        {
            d >>= 1;
            r++;
        }

        var buffer = new byte[n.GetByteCount(isUnsigned: true)];
        for (var round = 0; round < 32; round++)
        {
            RandomNumberGenerator.Fill(buffer);
            var a = (new BigInteger(buffer, isUnsigned: true) % (n - 3)) + 2;
            var x = BigInteger.ModPow(a, d, n);
            if (x.IsOne || x == n - 1)
            {
                continue;
            }

            var witness = true;
            for (var i = 1; i < r && witness; i++)
            {
                x = BigInteger.ModPow(x, 2, n);
                witness = x != n - 1;
            }

            if (witness)
            {
                return false;
            }
        }

        return true;
    }

    private static BigInteger ModInverse(BigInteger value, BigInteger modulus)
    {
        var (oldR, r) = (value % modulus, modulus);
        var (oldS, s) = (BigInteger.One, BigInteger.Zero);
        while (!r.IsZero)
        {
            var quotient = oldR / r;
            (oldR, r) = (r, oldR - (quotient * r));
            (oldS, s) = (s, oldS - (quotient * s));
        }

        return ((oldS % modulus) + modulus) % modulus;
    }
}
