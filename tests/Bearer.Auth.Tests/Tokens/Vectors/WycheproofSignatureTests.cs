using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens.Vectors;

/// <summary>
/// Wycheproof primitive vectors through the keys' internal <c>Verify</c> seam (the code every token signature goes
/// through): <c>msg</c> is the signing input, <c>sig</c>/<c>tag</c> the decoded signature. <c>acceptable</c> counts
/// as reject. Vectors outside what JWS allows (DER ECDSA, truncated MACs, short HMAC keys) must all be refused.
/// </summary>
public sealed class WycheproofSignatureTests
{
    public static TheoryData<string, string> EcdsaP1363Files => new()
    {
        { "ecdsa_secp256r1_sha256_p1363_test.json", "ES256" },
        { "ecdsa_secp384r1_sha384_p1363_test.json", "ES384" },
        { "ecdsa_secp521r1_sha512_p1363_test.json", "ES512" },
    };

    public static TheoryData<string, string> RsaFiles => new()
    {
        { "rsa_signature_2048_sha256_test.json", "RS256" },
        { "rsa_signature_2048_sha384_test.json", "RS384" },
        { "rsa_signature_2048_sha512_test.json", "RS512" },
        { "rsa_pss_2048_sha256_mgf1_32_test.json", "PS256" },
        { "rsa_pss_2048_sha384_mgf1_48_test.json", "PS384" },
        { "rsa_pss_4096_sha512_mgf1_64_test.json", "PS512" },
    };

    public static TheoryData<string, string> HmacFiles => new()
    {
        { "hmac_sha256_test.json", "HS256" },
        { "hmac_sha384_test.json", "HS384" },
        { "hmac_sha512_test.json", "HS512" },
    };

    [Theory]
    [MemberData(nameof(EcdsaP1363Files))]
    public void Ecdsa_p1363_vectors_verify_exactly_when_valid(string file, string alg)
    {
        var mismatches = new List<int>();
        var count = 0;
        foreach (var (group, test) in VectorFiles.WycheproofTests(file))
        {
            var key = EcKey(group, alg);
            count++;
            if (key.Verify(VectorFiles.Hex(test["msg"]), VectorFiles.Hex(test["sig"])) != IsValid(test))
            {
                mismatches.Add(test["tcId"]!.GetValue<int>());
            }
        }

        Assert.True(count > 250);
        Assert.Empty(mismatches);
    }

    [Fact]
    public void Ecdsa_der_vectors_are_all_refused_by_the_p1363_verifier()
    {
        var accepted = new List<int>();
        var valid = 0;
        foreach (var (group, test) in VectorFiles.WycheproofTests("ecdsa_secp256r1_sha256_test.json"))
        {
            valid += IsValid(test) ? 1 : 0;
            if (EcKey(group, "ES256").Verify(VectorFiles.Hex(test["msg"]), VectorFiles.Hex(test["sig"])))
            {
                accepted.Add(test["tcId"]!.GetValue<int>());
            }
        }

        // Valid DER signatures exist in the file; none of them is a JWS signature.
        Assert.True(valid > 100);
        Assert.Empty(accepted);
    }

    [Theory]
    [MemberData(nameof(RsaFiles))]
    public void Rsa_vectors_verify_exactly_when_valid(string file, string alg)
    {
        var mismatches = new List<int>();
        var count = 0;
        foreach (var (group, test) in VectorFiles.WycheproofTests(file))
        {
            // PSS parameters other than JWA's (MGF1 with the same hash, salt = hash length) never verify.
            var jwaParameters = group["sLen"] is null
                || (group["sLen"]!.ToString() == JwsHashSize(alg).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && group["mgfSha"]!.GetValue<string>() == group["sha"]!.GetValue<string>());
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(VectorFiles.Hex(group["publicKeyDer"]), out _);
            var key = VerificationKey.Rsa(rsa, alg);
            count++;
            if (key.Verify(VectorFiles.Hex(test["msg"]), VectorFiles.Hex(test["sig"])) != (jwaParameters && IsValid(test)))
            {
                mismatches.Add(test["tcId"]!.GetValue<int>());
            }
        }

        Assert.True(count > 100);
        Assert.Empty(mismatches);
    }

    [Theory]
    [MemberData(nameof(HmacFiles))]
    public void Hmac_vectors_with_full_tags_and_long_keys_verify_exactly_when_valid_and_the_rest_never_apply(string file, string alg)
    {
        var mismatches = new List<int>();
        var refusedKeys = 0;
        var applicable = 0;
        var hashBits = JwsHashSize(alg) * 8;
        foreach (var (group, test) in VectorFiles.WycheproofTests(file))
        {
            var keyBytes = VectorFiles.Hex(test["key"]);
            var tag = VectorFiles.Hex(test["tag"]);
            if (keyBytes.Length * 8 < hashBits)
            {
                // RFC 7518 §3.2: a key shorter than the hash output is refused at configuration.
                Assert.Throws<ArgumentException>(() => VerificationKey.Symmetric(keyBytes, alg));
                refusedKeys++;
                continue;
            }

            var key = VerificationKey.Symmetric(keyBytes, alg);
            var fullTag = group["tagSize"]!.ToString() == hashBits.ToString(System.Globalization.CultureInfo.InvariantCulture);
            applicable += fullTag ? 1 : 0;

            // A truncated tag is never a JWS signature, even when Wycheproof calls the truncated MAC valid.
            if (key.Verify(VectorFiles.Hex(test["msg"]), tag) != (fullTag && IsValid(test)))
            {
                mismatches.Add(test["tcId"]!.GetValue<int>());
            }
        }

        Assert.True(refusedKeys > 0);
        Assert.True(applicable > 50);
        Assert.Empty(mismatches);
    }

    private static bool IsValid(JsonNode test) => test["result"]!.GetValue<string>() == "valid";

    private static int JwsHashSize(string alg) => alg[2..] switch
    {
        "384" => 48,
        "512" => 64,
        _ => 32,
    };

    private static VerificationKey EcKey(JsonNode group, string alg)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(VectorFiles.Hex(group["publicKeyDer"]), out _);
        return VerificationKey.Ecdsa(ecdsa, alg);
    }
}
