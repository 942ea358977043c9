using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Keys;

/// <summary>
/// <see cref="Jwks.Write(IEnumerable{VerificationKey})"/>: the published set, read back by <see cref="Jwks.Parse"/>,
/// verifies the same tokens as the keys it was written from; each key carries <c>kty</c>, <c>use</c>, <c>alg</c>,
/// <c>kid</c> and exactly the public members RFC 7518 §6 defines, never a private one; a shared secret is refused.
/// </summary>
public sealed class JwksWriterTests
{
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "r", "t", "k"];

    public static TheoryData<string> AsymmetricAlgorithms => [.. JwsAlgorithms.All.Where(a => a[0] != 'H')];

    [Theory]
    [MemberData(nameof(AsymmetricAlgorithms))]
    public async Task Written_key_parsed_back_is_the_same_key_and_verifies_the_same_tokens(string alg)
    {
        var key = SignedTokens.Generated(alg);
        var written = key.ToVerificationKey();

        var parsed = Assert.Single(Jwks.Parse(Jwks.Write([written]), allowSymmetricKeys: false));

        Assert.True(parsed.IsSameKeyAs(written));
        Assert.Equal(TokenFailureReason.None, await SignedTokens.FailureOf(SignedTokens.Mint(key), parsed));
    }

    [Fact]
    public async Task Key_set_of_every_asymmetric_algorithm_parsed_back_verifies_each_keys_tokens()
    {
        var keys = JwsAlgorithms.All.Where(a => a[0] != 'H').Select(SignedTokens.Generated).ToArray();

        var parsed = Jwks.Parse(Jwks.Write(keys.Select(k => k.ToVerificationKey())));

        Assert.Equal(keys.Select(k => (k.Algorithm, k.KeyId)), parsed.Select(k => (k.Algorithm, k.KeyId)));
        foreach (var key in keys)
        {
            Assert.Equal(TokenFailureReason.None, await SignedTokens.FailureOf(SignedTokens.Mint(key), [.. parsed]));
        }
    }

    [Fact]
    public async Task Key_set_parsed_with_an_issuer_binds_every_key_to_it()
    {
        const string BoundIssuer = "https://bound-issuer.test";
        var rs = SignedTokens.Generated(JwsAlgorithms.RS256);
        var es = SignedTokens.Generated(JwsAlgorithms.ES256);
        var parsed = Jwks.Parse(Jwks.Write([rs.ToVerificationKey(), es.ToVerificationKey()]), BoundIssuer);
        var validator = SignedTokens.Validator(parsed);
        var ct = TestContext.Current.CancellationToken;

        Assert.All(parsed, k => Assert.Equal(BoundIssuer, k.Issuer));
        Assert.Equal(TokenFailureReason.None, (await validator.ValidateAsync(SignedTokens.Mint(es, BoundIssuer), ct)).Failure);
        Assert.Equal(TokenFailureReason.IssuerInvalid, (await validator.ValidateAsync(SignedTokens.Mint(rs, SignedTokens.OtherIssuer), ct)).Failure);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS512")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    public void Written_key_set_holds_no_private_member_or_value(string alg)
    {
        byte[][] privateValues;
        SigningKey key;
        if (alg[0] == 'E')
        {
            using var ecdsa = ECDsa.Create(SignedTokens.CurveOf(alg));
            privateValues = [ecdsa.ExportParameters(includePrivateParameters: true).D!];
            key = SigningKey.Ecdsa(ecdsa, alg, "k");
        }
        else
        {
            var pair = SignedTokens.RsaPair;
            privateValues = [pair.D!, pair.P!, pair.Q!, pair.DP!, pair.DQ!, pair.InverseQ!];
            using var rsa = SignedTokens.NewRsa();
            key = SigningKey.Rsa(rsa, alg, "k");
        }

        var json = Jwks.Write([key.ToVerificationKey()]);

        using var set = JsonDocument.Parse(json);
        var members = Assert.Single(set.RootElement.GetProperty("keys").EnumerateArray()).EnumerateObject().Select(m => m.Name).ToArray();
        Assert.Empty(members.Intersect(PrivateMembers, StringComparer.Ordinal));
        foreach (var value in privateValues)
        {
            Assert.DoesNotContain(Base64Url.EncodeToString(value), json, StringComparison.Ordinal);
            Assert.DoesNotContain(Base64Url.EncodeToString(value)[..20], json, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("PS384")]
    [InlineData("PS512")]
    public void Written_rsa_key_has_kty_use_alg_kid_and_exactly_n_and_e(string alg)
    {
        using var rsa = SignedTokens.NewRsa();
        var key = SigningKey.Rsa(rsa, alg, "rsa-" + alg);

        var jwk = WrittenKey(key.ToVerificationKey());

        Assert.Equal(["alg", "e", "kid", "kty", "n", "use"], Names(jwk));
        Assert.Equal("RSA", jwk.GetProperty("kty").GetString());
        Assert.Equal("sig", jwk.GetProperty("use").GetString());
        Assert.Equal(alg, jwk.GetProperty("alg").GetString());
        Assert.Equal("rsa-" + alg, jwk.GetProperty("kid").GetString());
        Assert.Equal(Base64Url.EncodeToString(SignedTokens.RsaPair.Modulus), jwk.GetProperty("n").GetString());
        Assert.Equal("AQAB", jwk.GetProperty("e").GetString());
    }

    [Theory]
    [InlineData("ES256", "P-256", 32)]
    [InlineData("ES384", "P-384", 48)]
    [InlineData("ES512", "P-521", 66)]
    public void Written_ec_key_has_kty_use_alg_kid_and_exactly_crv_x_and_y_at_full_length(string alg, string crv, int coordinateSize)
    {
        using var ecdsa = ECDsa.Create(SignedTokens.CurveOf(alg));
        var point = ecdsa.ExportParameters(includePrivateParameters: false).Q;
        var key = SigningKey.Ecdsa(ecdsa, alg, "ec-" + alg);

        var jwk = WrittenKey(key.ToVerificationKey());

        Assert.Equal(["alg", "crv", "kid", "kty", "use", "x", "y"], Names(jwk));
        Assert.Equal("EC", jwk.GetProperty("kty").GetString());
        Assert.Equal(crv, jwk.GetProperty("crv").GetString());
        Assert.Equal("sig", jwk.GetProperty("use").GetString());
        Assert.Equal(alg, jwk.GetProperty("alg").GetString());
        Assert.Equal("ec-" + alg, jwk.GetProperty("kid").GetString());
        Assert.Equal(point.X, Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()!));
        Assert.Equal(point.Y, Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()!));
        Assert.Equal(coordinateSize, point.X!.Length);
    }

    [Fact]
    public void Key_without_a_kid_is_written_without_a_kid_member()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var jwk = WrittenKey(SigningKey.Ecdsa(ecdsa).ToVerificationKey());

        Assert.Equal(["alg", "crv", "kty", "use", "x", "y"], Names(jwk));
    }

    [Fact]
    public void Empty_key_set_is_written_as_an_empty_keys_array()
    {
        Assert.Equal("""{"keys":[]}""", Jwks.Write([]));
    }

    [Fact]
    public void Symmetric_key_is_refused_and_its_secret_is_not_written()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var hmac = SigningKey.Symmetric(secret, JwsAlgorithms.HS256, "shared").ToVerificationKey();
        var ec = SignedTokens.Generated(JwsAlgorithms.ES256).ToVerificationKey();
        var buffer = new ArrayBufferWriter<byte>();

        var alone = Assert.Throws<ArgumentException>(() => Jwks.Write([hmac]));
        var mixed = Assert.Throws<ArgumentException>(() => Jwks.Write([ec, hmac]));
        var generated = Assert.Throws<ArgumentException>(() => Jwks.Write([SigningKey.Generate(JwsAlgorithms.HS512).ToVerificationKey()]));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Assert.Throws<ArgumentException>(() => Jwks.Write(writer, [ec, hmac]));
            writer.Flush();
        }

        Assert.All([alone, mixed, generated], e => Assert.Equal("keys", e.ParamName));
        Assert.DoesNotContain(Base64Url.EncodeToString(secret), alone.Message + mixed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64Url.EncodeToString(secret), Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
        Assert.DoesNotContain("\"oct\"", Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void Key_set_written_to_a_json_writer_is_one_value_equal_to_the_string_form()
    {
        VerificationKey[] keys = [SignedTokens.Generated(JwsAlgorithms.ES384).ToVerificationKey(), SignedTokens.Generated(JwsAlgorithms.PS256).ToVerificationKey()];
        var buffer = new ArrayBufferWriter<byte>();

        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("jwks");
            Jwks.Write(writer, keys);
            writer.WriteString("after", "x");
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(Jwks.Write(keys), document.RootElement.GetProperty("jwks").GetRawText());
        Assert.Equal("x", document.RootElement.GetProperty("after").GetString());
    }

    private static JsonElement WrittenKey(VerificationKey key)
    {
        using var set = JsonDocument.Parse(Jwks.Write([key]));
        return Assert.Single(set.RootElement.GetProperty("keys").EnumerateArray()).Clone();
    }

    private static string[] Names(JsonElement jwk) => [.. jwk.EnumerateObject().Select(m => m.Name).Order(StringComparer.Ordinal)];
}
