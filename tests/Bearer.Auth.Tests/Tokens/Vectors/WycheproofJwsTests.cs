using System.Text.Json.Nodes;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens.Vectors;

/// <summary>
/// Wycheproof <c>json_web_signature_test.json</c> through the JWS layer (payloads are not claims sets). The group's
/// key goes through the library's JWKS reader: a key the reader refuses (wrong <c>use</c>/<c>key_ops</c>, unknown
/// <c>alg</c>) counts as "token refused". A strict validator departs from a few labels; each is listed with why.
/// </summary>
public sealed class WycheproofJwsTests
{
    private const string File = "json_web_signature_test.json";

    /// <summary>Labelled <c>valid</c>, refused here on purpose.</summary>
    private static readonly Dictionary<int, string> RefusedDespiteValidLabel = new()
    {
        // RFC 7520 Figure 20: the key says "alg":"PS256" but the token is PS384; keys are bound to one alg (RFC 8725 §3.1).
        [346] = "key alg PS256, token PS384",
        [350] = "key alg PS256, token PS384",

        // RFC 7520 Figure 27: the key says "alg":"ES521", which does not exist; the JWKS reader refuses the key.
        [347] = "key alg ES521 is not an algorithm",
        [351] = "key alg ES521 is not an algorithm",

        // An empty payload segment: detached content (RFC 7515 Appendix F) is not supported and a JWT cannot be empty.
        [259] = "empty payload (RS256)",
        [264] = "empty payload (RS384)",
        [268] = "empty payload (RS512)",
        [272] = "empty payload (PS256)",
        [320] = "empty payload (PS384)",
        [325] = "empty payload (PS512)",

        // A '?' inside a segment: not base64url, and not in the token character set (RFC 8725bis §3.14).
        [372] = "'?' inserted in the header",
        [373] = "'?' inserted in the payload",
    };

    /// <summary>Labelled <c>invalid</c>, yet byte-identical to the valid tcId 357 (the padding was lost upstream).</summary>
    private static readonly Dictionary<int, string> AcceptedDespiteInvalidLabel = new()
    {
        [367] = "identical to tcId 357",
        [370] = "identical to tcId 357",
    };

    public static TheoryData<int> TestIds => [.. VectorFiles.WycheproofTests(File).Select(x => x.Test["tcId"]!.GetValue<int>())];

    [Theory]
    [MemberData(nameof(TestIds))]
    public async Task Wycheproof_jws_vector_is_accepted_exactly_when_a_strict_validator_accepts_it(int tcId)
    {
        var (group, test) = VectorFiles.WycheproofTests(File).Single(x => x.Test["tcId"]!.GetValue<int>() == tcId);
        var label = test["result"]!.GetValue<string>();
        var expectAccept = label == "valid";
        if (RefusedDespiteValidLabel.ContainsKey(tcId))
        {
            Assert.True(expectAccept);
            expectAccept = false;
        }
        else if (AcceptedDespiteInvalidLabel.ContainsKey(tcId))
        {
            Assert.False(expectAccept);
            Assert.Equal(Jws(357), Jws(tcId));
            expectAccept = true;
        }

        var key = TryKey(group);
        var accepted = key is not null
            && await VectorFiles.JwsValidator(key).VerifySignatureOnlyAsync(VectorFiles.Serialize(test["jws"]!), TestContext.Current.CancellationToken) == TokenFailureReason.None;

        Assert.Equal(expectAccept, accepted);
    }

    private static string Jws(int tcId) =>
        VectorFiles.Serialize(VectorFiles.WycheproofTests(File).Single(x => x.Test["tcId"]!.GetValue<int>() == tcId).Test["jws"]!);

    /// <summary>The group's verification key through the JWKS reader, or null when the reader refuses it.</summary>
    private static VerificationKey? TryKey(JsonNode group)
    {
        try
        {
            return VectorFiles.JwkToKey(VectorFiles.WithoutPrivateParts(group["public"] ?? group["private"]!));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
