using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>
/// A JWK's <c>x5c</c> certificate must name the JWK's own key (RFC 7517 §4.7): when it names another, or is not a
/// certificate, the key is skipped with a log line and its kid is not found; a matching certificate changes nothing.
/// </summary>
public sealed class RemoteKeyCertificateTests : IAsyncLifetime
{
    private readonly RSA _published = RSA.Create(2048);
    private readonly RSA _certified = RSA.Create(2048);
    private JwksTestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await JwksTestServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _published.Dispose();
        _certified.Dispose();
    }

    [Fact]
    public async Task Key_whose_x5c_names_another_key_is_skipped_with_a_log_line_and_its_kid_is_not_found()
    {
        _server.ExtraJwks.Add(RsaJwk("matching", _certified, Certificate(_certified)));
        _server.ExtraJwks.Add(RsaJwk("contradicted", _published, Certificate(_certified)));
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();

        var skipped = Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeySkipped");
        Assert.Equal(
            $"Key set from {_server.BaseUrl}/.well-known/openid-configuration: a key was skipped: Key 1 (kid 'contradicted'): its 'x5c' certificate names a different key than its 'n'/'e'; one of the two is wrong, so neither is used.",
            skipped.Message);
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Token(_certified, "matching", harness.Now)));
        // Neither the key its n/e name nor the one its certificate names verifies under that kid.
        Assert.Equal(TokenFailureReason.KeyNotFound, await harness.ValidateAsync(Token(_published, "contradicted", harness.Now)));
        Assert.Equal(TokenFailureReason.KeyNotFound, await harness.ValidateAsync(Token(_certified, "contradicted", harness.Now)));
    }

    [Fact]
    public void Ec_key_whose_x5c_names_another_key_or_curve_is_skipped_and_a_matching_one_is_read()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherCurve = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var set = "{\"keys\":["
            + EcJwk("matching", key, Certificate(key)) + ","
            + EcJwk("other-key", key, Certificate(other)) + ","
            + EcJwk("other-curve", key, Certificate(otherCurve)) + ","
            + EcJwk("rsa-certificate", key, Certificate(_certified)) + "]}";

        var result = JsonWebKeySetReader.Read(set, issuer: null, allowSymmetricKeys: false);

        Assert.Equal("matching", Assert.Single(result.Keys).KeyId);
        Assert.Equal(3, result.Problems.Count);
        Assert.All(result.Problems, p => Assert.EndsWith(
            "its 'x5c' certificate names a different key than its 'crv'/'x'/'y'; one of the two is wrong, so neither is used.", p, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"MIIB\"")]
    [InlineData("[1]")]
    [InlineData("[\"not base64!\"]")]
    [InlineData("[\"AAAA\"]")]
    [InlineData("null")]
    public void Key_whose_x5c_is_not_a_certificate_is_skipped(string x5c)
    {
        var jwk = RsaJwk("k1", _published, certificate: null)[..^1] + ",\"x5c\":" + x5c + "}";

        var result = JsonWebKeySetReader.Read("{\"keys\":[" + jwk + "]}", issuer: null, allowSymmetricKeys: false);

        Assert.Empty(result.Keys);
        Assert.Contains("x5c", Assert.Single(result.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Symmetric_key_with_an_x5c_is_skipped()
    {
        var jwk = $$"""{"kty":"oct","kid":"s","k":"{{TestJwt.B64(RandomNumberGenerator.GetBytes(32))}}","x5c":["{{Certificate(_certified)}}"]}""";

        var result = JsonWebKeySetReader.Read("{\"keys\":[" + jwk + "]}", issuer: null, allowSymmetricKeys: true);

        Assert.Empty(result.Keys);
        Assert.Equal("Key 0 (kid 's'): an 'oct' key cannot have an 'x5c' certificate.", Assert.Single(result.Problems));
    }

    [Fact]
    public void Certificate_modulus_with_a_leading_zero_byte_still_names_the_same_key()
    {
        var parameters = _certified.ExportParameters(false);
        var padded = new byte[parameters.Modulus!.Length + 1];
        parameters.Modulus.CopyTo(padded, 1);
        var jwk = $$"""{"kty":"RSA","kid":"padded","n":"{{TestJwt.B64(padded)}}","e":"{{TestJwt.B64(parameters.Exponent!)}}","x5c":["{{Certificate(_certified)}}"]}""";

        var result = JsonWebKeySetReader.Read("{\"keys\":[" + jwk + "]}", issuer: null, allowSymmetricKeys: false);

        Assert.Empty(result.Problems);
        Assert.NotEmpty(result.Keys);
    }

    private string Token(RSA key, string kid, DateTimeOffset now) =>
        TestJwt.Rs(key, TestJwt.Payload(now, issuer: _server.Issuer), headerJson: $$"""{"alg":"RS256","typ":"JWT","kid":"{{kid}}"}""");

    private static string RsaJwk(string kid, RSA key, string? certificate)
    {
        var p = key.ExportParameters(false);
        var x5c = certificate is null ? "" : $$""","x5c":["{{certificate}}"]""";
        return $$"""{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{kid}}","n":"{{TestJwt.B64(p.Modulus!)}}","e":"{{TestJwt.B64(p.Exponent!)}}"{{x5c}}}""";
    }

    private static string EcJwk(string kid, ECDsa key, string certificate)
    {
        var p = key.ExportParameters(false);
        return $$"""{"kty":"EC","use":"sig","alg":"ES256","kid":"{{kid}}","crv":"P-256","x":"{{TestJwt.B64(p.Q.X!)}}","y":"{{TestJwt.B64(p.Q.Y!)}}","x5c":["{{certificate}}"]}""";
    }

    /// <summary>A self-signed certificate for <paramref name="key"/>, as x5c carries it (standard base64 DER).</summary>
    private static string Certificate(AsymmetricAlgorithm key)
    {
        var now = DateTimeOffset.UtcNow;
        var request = key switch
        {
            RSA rsa => new CertificateRequest("CN=signing", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest("CN=signing", ecdsa, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDsa only.", nameof(key)),
        };
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return Convert.ToBase64String(certificate.RawData);
    }
}
