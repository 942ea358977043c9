using System.Text.Json.Nodes;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Tokens.Vectors;

/// <summary>
/// RFC 7515 Appendix A and RFC 7520 §4 examples. A.1–A.3 carry a JWT claims set and run through the full validator
/// with a clock before their <c>exp</c>; A.4 and the cookbook examples sign plain text, so they run at the JWS layer
/// (<see cref="BearerJwtValidator.VerifySignatureOnlyAsync"/>) and are refused as tokens.
/// </summary>
public sealed class JoseExampleTests
{
    private static readonly DateTimeOffset BeforeExpiry = new(2011, 3, 22, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> JwtExamples => ["RFC 7515 A.1", "RFC 7515 A.2", "RFC 7515 A.3"];

    public static TheoryData<string> CookbookExamples =>
        ["4_1.rsa_v15_signature.json", "4_2.rsa-pss_signature.json", "4_3.ecdsa_signature.json", "4_4.hmac-sha2_integrity_protection.json"];

    [Theory]
    [MemberData(nameof(JwtExamples))]
    public async Task Rfc7515_jwt_example_validates_before_its_expiry_and_not_after(string section)
    {
        var vector = Rfc7515(section);
        var key = VectorFiles.JwkToKey(vector["jwk"]!, vector["alg"]!.GetValue<string>());
        var token = vector["compact"]!.GetValue<string>();

        var before = await Validator(key, BeforeExpiry).ValidateAsync(token, TestContext.Current.CancellationToken);
        var after = await Validator(key, ValidatorFixture.Now).ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenFailureReason.None, before.Failure);
        Assert.Equal("joe", before.Token!.Issuer);
        Assert.Equal(TokenFailureReason.TokenExpired, after.Failure);
    }

    [Theory]
    [MemberData(nameof(JwtExamples))]
    public async Task Rfc7515_jwt_example_with_a_changed_payload_fails(string section)
    {
        var vector = Rfc7515(section);
        var key = VectorFiles.JwkToKey(vector["jwk"]!, vector["alg"]!.GetValue<string>());
        var parts = vector["compact"]!.GetValue<string>().Split('.');
        var forged = parts[0] + "." + TestJwt.B64("""{"iss":"joe","exp":1300819380,"http://example.com/is_root":true}""") + "." + parts[2];

        Assert.Equal(TokenFailureReason.SignatureInvalid, (await Validator(key, BeforeExpiry).ValidateAsync(forged, TestContext.Current.CancellationToken)).Failure);
    }

    [Fact]
    public async Task Rfc7515_a4_verifies_at_the_jws_layer_and_is_not_a_jwt()
    {
        var vector = Rfc7515("RFC 7515 A.4");
        var validator = VectorFiles.JwsValidator(VectorFiles.JwkToKey(vector["jwk"]!, "ES512"));
        var token = vector["compact"]!.GetValue<string>();

        Assert.Equal(TokenFailureReason.None, await validator.VerifySignatureOnlyAsync(token, TestContext.Current.CancellationToken));
        Assert.Equal(TokenFailureReason.TokenMalformed, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
    }

    [Fact]
    public async Task Rfc7515_a5_unsecured_jws_is_refused_at_both_layers()
    {
        var token = Rfc7515("RFC 7515 A.5")["compact"]!.GetValue<string>();
        var validator = VectorFiles.JwsValidator(VerificationKey.Symmetric(new byte[32]));

        Assert.Equal(TokenFailureReason.AlgorithmNotAllowed, await validator.VerifySignatureOnlyAsync(token, TestContext.Current.CancellationToken));
        Assert.Equal(TokenFailureReason.AlgorithmNotAllowed, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
    }

    [Theory]
    [MemberData(nameof(CookbookExamples))]
    public async Task Rfc7520_example_verifies_at_the_jws_layer_and_is_not_a_jwt(string file)
    {
        var example = VectorFiles.Load(Path.Combine("jose", "rfc7520-cookbook", "jws", file));
        var alg = example["input"]!["alg"]!.GetValue<string>();
        var validator = VectorFiles.JwsValidator(VectorFiles.JwkToKey(example["input"]!["key"]!, alg));
        var token = example["output"]!["compact"]!.GetValue<string>();
        var parts = token.Split('.');
        var tampered = parts[0] + "." + TestJwt.B64("It's a dangerous business") + "." + parts[2];

        Assert.Equal(TokenFailureReason.None, await validator.VerifySignatureOnlyAsync(token, TestContext.Current.CancellationToken));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await validator.VerifySignatureOnlyAsync(tampered, TestContext.Current.CancellationToken));
        Assert.Equal(TokenFailureReason.TokenMalformed, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
    }

    [Fact]
    public async Task Rfc7520_detached_content_example_is_malformed_without_its_payload()
    {
        var example = VectorFiles.Load(Path.Combine("jose", "rfc7520-cookbook", "jws", "4_5.signature_with_detached_content.json"));
        var validator = VectorFiles.JwsValidator(VectorFiles.JwkToKey(example["input"]!["key"]!, "HS256"));
        var token = example["output"]!["compact"]!.GetValue<string>();

        Assert.Equal(TokenFailureReason.TokenMalformed, await validator.VerifySignatureOnlyAsync(token, TestContext.Current.CancellationToken));
    }

    private static JsonNode Rfc7515(string section) =>
        VectorFiles.Load(Path.Combine("jose", "rfc7515-appendix-a.json"))["vectors"]!.AsArray()
            .Single(v => v!["section"]!.GetValue<string>() == section)!;

    private static BearerJwtValidator Validator(VerificationKey key, DateTimeOffset now)
    {
        var options = new BearerJwtOptions { ValidIssuer = "joe", ValidateAudience = false };
        options.VerificationKeys.Add(key);
        return TestValidators.From(options, new FakeTimeProvider(now));
    }
}
