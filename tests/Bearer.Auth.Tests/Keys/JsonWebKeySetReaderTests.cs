using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Keys;

/// <summary>
/// JWKS reading (RFC 7517): <c>use</c>, <c>key_ops</c> and <c>alg</c> decide whether and how a key verifies; a
/// repeated (kid, alg), an unknown <c>kty</c>, a weak key or a malformed set refuses the whole static set, with a
/// message naming the key but never its material.
/// </summary>
public sealed class JsonWebKeySetReaderTests
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    public static TheoryData<string, string> RefusedMembers => new()
    {
        { "use", "\"enc\"" },
        { "use", "\"SIG\"" },
        { "key_ops", "[\"sign\"]" },
        { "key_ops", "[\"encrypt\",\"decrypt\"]" },
        { "key_ops", "[]" },
        { "key_ops", "\"verify\"" },
        { "alg", "\"none\"" },
        { "alg", "\"RS256\"" },
        { "alg", "\"hs256\"" },
        { "alg", "\"A256GCM\"" },
        { "alg", "\"dir\"" },
        { "kty", "\"RSA\"" },
        { "kty", "\"OKP\"" },
        { "kty", "\"Oct\"" },
        { "k", "\"\"" },
        { "k", "\"AAAAAAAAAAAAAAAAAAAAAA\"" },
        { "k", "\"not base64url!\"" },
    };

    public static TheoryData<string> MalformedSets =>
    [
        "", "null", "[]", "{}", "{\"keys\":{}}", "{\"keys\":[1]}", "{\"keys\":null}", "not json", "{\"keys\":[],\"keys\":[]}",
        "{\"keys\":[{\"kty\":\"oct\",\"kty\":\"oct\",\"k\":\"" + TestJwt.B64(Secret) + "\"}]}",
    ];

    [Theory]
    [MemberData(nameof(RefusedMembers))]
    public void Key_that_may_not_verify_or_is_weak_refuses_the_set(string member, string rawValue)
    {
        var jwk = Oct("k1");
        jwk[member] = JsonNode.Parse(rawValue);

        var error = Assert.Throws<ArgumentException>(() => Jwks.Parse(Set(jwk), allowSymmetricKeys: true));

        Assert.Contains("Key 0 (kid 'k1')", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestJwt.B64(Secret), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("\"sig\"", null)]
    [InlineData(null, "[\"verify\"]")]
    [InlineData("\"sig\"", "[\"sign\",\"verify\"]")]
    public void Key_for_signatures_is_accepted(string? use, string? keyOps)
    {
        var jwk = Oct("k1");
        if (use is not null)
        {
            jwk["use"] = JsonNode.Parse(use);
        }

        if (keyOps is not null)
        {
            jwk["key_ops"] = JsonNode.Parse(keyOps);
        }

        var key = Assert.Single(Jwks.Parse(Set(jwk), allowSymmetricKeys: true));

        Assert.Equal(JwsAlgorithms.HS256, key.Algorithm);
        Assert.Equal("k1", key.KeyId);
    }

    [Fact]
    public void A_key_without_alg_verifies_every_algorithm_of_its_type_and_only_those()
    {
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var keys = Jwks.Parse(Set(RsaJwk(rsa, "r"), EcJwk(p384, "e")));

        Assert.Equal(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"], keys.Where(k => k.KeyId == "r").Select(k => k.Algorithm));
        Assert.Equal(["ES384"], keys.Where(k => k.KeyId == "e").Select(k => k.Algorithm));
        Assert.All(keys.Where(k => k.KeyId == "r"), k => Assert.Equal("RSA", k.KeyType));
    }

    [Theory]
    [InlineData(32, new[] { "HS256" })]
    [InlineData(47, new[] { "HS256" })]
    [InlineData(48, new[] { "HS256", "HS384" })]
    [InlineData(64, new[] { "HS256", "HS384", "HS512" })]
    public void An_oct_key_without_alg_verifies_the_hmac_algorithms_its_length_is_enough_for(int length, string[] expected)
    {
        var jwk = new JsonObject { ["kty"] = "oct", ["kid"] = "o", ["k"] = TestJwt.B64(new byte[length]) };

        var keys = Jwks.Parse(Set(jwk), allowSymmetricKeys: true);

        Assert.Equal(expected, keys.Select(k => k.Algorithm));
    }

    [Fact]
    public void A_key_with_alg_keeps_exactly_that_algorithm()
    {
        using var rsa = RSA.Create(2048);
        var jwk = RsaJwk(rsa, "r");
        jwk["alg"] = "RS256";

        Assert.Equal("RS256", Assert.Single(Jwks.Parse(Set(jwk))).Algorithm);
    }

    [Theory]
    [InlineData("PS256")]
    [InlineData("RS512")]
    public void Rsa_alg_binds_the_key_to_that_algorithm(string alg)
    {
        using var rsa = RSA.Create(2048);
        var jwk = RsaJwk(rsa, "r");
        jwk["alg"] = alg;

        Assert.Equal(alg, Assert.Single(Jwks.Parse(Set(jwk))).Algorithm);
    }

    [Theory]
    [InlineData("ES384")]
    [InlineData("ES521")]
    [InlineData("RS256")]
    [InlineData("HS256")]
    public void Ec_alg_that_does_not_match_the_curve_refuses_the_set(string alg)
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = EcJwk(p256, "e");
        jwk["alg"] = alg;

        Assert.Throws<ArgumentException>(() => Jwks.Parse(Set(jwk)));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("256")]
    [InlineData("[\"RS256\"]")]
    [InlineData("{}")]
    public void An_alg_that_is_not_a_string_refuses_the_key_instead_of_widening_it(string alg)
    {
        using var rsa = RSA.Create(2048);
        var jwk = RsaJwk(rsa, "r");
        jwk["alg"] = JsonNode.Parse(alg);

        var failure = Assert.Throws<ArgumentException>(() => Jwks.Parse(Set(jwk)));
        Assert.Contains("Key 0 (kid 'r'): 'alg' must be a string.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weak_rsa_keys_refuse_the_set()
    {
        using var small = RSA.Create(1024);
        using var strong = RSA.Create(2048);
        var exponentOne = RsaJwk(strong, "e1");
        exponentOne["e"] = "AQ";

        Assert.Contains("2048", Assert.Throws<ArgumentException>(() => Jwks.Parse(Set(RsaJwk(small, "small")))).Message, StringComparison.Ordinal);
        Assert.Contains("exponent", Assert.Throws<ArgumentException>(() => Jwks.Parse(Set(exponentOne))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_kid_and_alg_refuses_the_set()
    {
        var error = Assert.Throws<ArgumentException>(() => Jwks.Parse(Set(Oct("same"), Oct("same")), allowSymmetricKeys: true));

        Assert.Contains("Key 1 (kid 'same') repeats", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_kid_for_different_algorithms_is_not_ambiguous_because_lookup_is_per_alg_and_kid()
    {
        var hs384 = Oct("same");
        hs384["alg"] = "HS384";
        hs384["k"] = TestJwt.B64(RandomNumberGenerator.GetBytes(48));

        var keys = Jwks.Parse(Set(Oct("same"), hs384), allowSymmetricKeys: true);

        Assert.Equal(["HS256", "HS384"], keys.Select(k => k.Algorithm));
    }

    [Theory]
    [MemberData(nameof(MalformedSets))]
    public void Malformed_set_is_refused(string json)
    {
        Assert.Throws<ArgumentException>(() => Jwks.Parse(json, allowSymmetricKeys: true));
    }

    [Theory]
    [InlineData("kid", """\ud800""")]
    [InlineData("kid", """\udc00x""")]
    [InlineData("k", """\ud83d\u0041""")]
    [InlineData("kty", """oct\ud83d""")]
    public void Set_escaping_a_lone_surrogate_is_refused_as_invalid_json(string member, string escapedValue)
    {
        // Found by fuzzing (fuzz/README.md): System.Text.Json parses "\ud800" and throws InvalidOperationException
        // only when the string is read, which escaped Jwks.Parse's ArgumentException contract.
        var json = Set(Oct("k1")).Replace($"\"{member}\":\"", $"\"{member}\":\"{escapedValue}", StringComparison.Ordinal);
        Assert.Contains(escapedValue, json, StringComparison.Ordinal);

        var error = Assert.Throws<ArgumentException>(() => Jwks.Parse(json, allowSymmetricKeys: true));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Symmetric_keys_are_refused_unless_the_caller_allows_them()
    {
        using var rsa = RSA.Create(2048);

        // A shared secret in a key set is unusual enough that reading one must be asked for.
        var error = Assert.Throws<ArgumentException>(() => Jwks.Parse(Set(RsaJwk(rsa, "r"), Oct("o"))));

        Assert.Contains("symmetric", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_reports_each_bad_key_and_keeps_the_good_ones_for_remote_sets()
    {
        var weak = Oct("weak");
        weak["k"] = "AAAA";

        var result = JsonWebKeySetReader.Read(Set(Oct("good"), weak, Oct("good")), issuer: null, allowSymmetricKeys: true);

        Assert.Equal("good", Assert.Single(result.Keys).KeyId);
        Assert.Equal(2, result.Problems.Count);
    }

    [Fact]
    public void Issuer_given_to_the_reader_binds_every_key()
    {
        using var rsa = RSA.Create(2048);

        var keys = Jwks.Parse(Set(Oct("o"), RsaJwk(rsa, "r")), issuer: "https://issuer.test", allowSymmetricKeys: true);

        Assert.All(keys, k => Assert.Equal("https://issuer.test", k.Issuer));
    }

    [Fact]
    public void Non_canonical_base64url_in_key_members_is_refused()
    {
        using var rsa = RSA.Create(2048);
        var padded = RsaJwk(rsa, "r");
        padded["e"] = "AQAB=";
        var standard = Oct("o");
        standard["k"] = Convert.ToBase64String(Secret);

        // Standard base64 of 32 bytes always ends in '=' padding.
        Assert.EndsWith("=", standard["k"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Jwks.Parse(Set(padded), allowSymmetricKeys: true));
        Assert.Throws<ArgumentException>(() => Jwks.Parse(Set(standard), allowSymmetricKeys: true));
    }

    private static string Set(params JsonObject[] keys) => new JsonObject { ["keys"] = new JsonArray([.. keys]) }.ToJsonString();

    private static JsonObject Oct(string kid) => new() { ["kty"] = "oct", ["kid"] = kid, ["k"] = TestJwt.B64(Secret) };

    private static JsonObject RsaJwk(RSA rsa, string kid)
    {
        var p = rsa.ExportParameters(false);
        return new() { ["kty"] = "RSA", ["kid"] = kid, ["n"] = TestJwt.B64(p.Modulus!), ["e"] = TestJwt.B64(p.Exponent!) };
    }

    private static JsonObject EcJwk(ECDsa ecdsa, string kid)
    {
        var p = ecdsa.ExportParameters(false);
        var crv = p.Q.X!.Length switch { 48 => "P-384", 66 => "P-521", _ => "P-256" };
        return new() { ["kty"] = "EC", ["kid"] = kid, ["crv"] = crv, ["x"] = TestJwt.B64(p.Q.X!), ["y"] = TestJwt.B64(p.Q.Y!) };
    }
}
