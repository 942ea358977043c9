using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>A signature covers the received header and payload bytes: any change to either, with the old signature, fails.</summary>
public sealed class TamperingTests
{
    public static TheoryData<string, string> Tamperings => new()
    {
        { "HS256", "payload-sub" }, { "HS256", "payload-exp" }, { "HS256", "payload-reserialized" }, { "HS256", "header-typ" }, { "HS256", "payload-swapped" },
        { "RS256", "payload-sub" }, { "RS256", "payload-exp" }, { "RS256", "payload-reserialized" }, { "RS256", "header-typ" }, { "RS256", "payload-swapped" },
        { "ES256", "payload-sub" }, { "ES256", "payload-exp" }, { "ES256", "payload-reserialized" }, { "ES256", "header-typ" }, { "ES256", "payload-swapped" },
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Changed_header_or_payload_with_the_old_signature_is_refused(string alg, string recipe)
    {
        using var fixture = new ValidatorFixture();
        var header = alg switch
        {
            "RS256" => """{"alg":"RS256","kid":"rs"}""",
            "ES256" => """{"alg":"ES256","kid":"es"}""",
            _ => """{"alg":"HS256","kid":"hs"}""",
        };
        var payload = fixture.ValidPayload("\"role\":\"user\"");
        var token = Mint(fixture, alg, header, payload);
        var other = Mint(fixture, alg, header, fixture.ValidPayload("\"role\":\"other\""));
        var signature = RawJwt.Signature(token);

        var tampered = recipe switch
        {
            "payload-sub" => RawJwt.Unsigned(header, payload.Replace("user-1", "admin", StringComparison.Ordinal), signature),
            "payload-exp" => RawJwt.Unsigned(header, payload.Replace("\"exp\":", "\"exp\":9", StringComparison.Ordinal), signature),
            "payload-reserialized" => RawJwt.Unsigned(header, payload.Replace(",", ", ", StringComparison.Ordinal), signature),
            "header-typ" => RawJwt.Unsigned(header.Replace("}", ",\"typ\":\"JWT\"}", StringComparison.Ordinal), payload, signature),
            _ => token.Split('.')[0] + "." + other.Split('.')[1] + "." + token.Split('.')[2],
        };

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(tampered));
    }

    private static string Mint(ValidatorFixture fixture, string alg, string header, string payload) => alg switch
    {
        "RS256" => TestJwt.Rs(fixture.Rsa, payload, headerJson: header),
        "ES256" => TestJwt.Es(fixture.Ecdsa, payload, headerJson: header),
        _ => TestJwt.Hs(fixture.HmacKey, payload, headerJson: header),
    };
}
