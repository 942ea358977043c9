using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bearer.Auth.Fuzz;

/// <summary>
/// The inputs AFL++ starts from: valid tokens of every configured algorithm, signed JSON that reaches each claim
/// rule, key sets, and the compact tokens and keys of the RFC 7515/7520 and Wycheproof vectors in
/// <c>tests/Bearer.Auth.Tests/Vectors</c>. Small on purpose: AFL++ mutates each seed many times.
/// </summary>
internal static partial class SeedCorpus
{
    /// <summary>One seed: a file name and the input bytes (first byte = <see cref="FuzzTarget.Mode"/>).</summary>
    internal readonly record struct Seed(string Name, byte[] Input);

    private const int MaxVectorTokens = 40;
    private const int MaxVectorKeys = 20;

    /// <summary>Creates the seeds; <paramref name="vectorsDirectory"/> adds the test vectors when given.</summary>
    internal static List<Seed> Create(string? vectorsDirectory)
    {
        var seeds = new List<Seed>();
        var now = FuzzTimeProvider.Now.ToUnixTimeSeconds();
        var claims = $$"""{"iss":"{{FuzzKeys.Issuer}}","aud":"{{FuzzKeys.Audience}}","sub":"user-1","name":"Ada","exp":{{now + 300}},"iat":{{now}},"nbf":{{now}},"roles":["admin","user"],"realm_access":{"roles":["ops"]},"jti":"j-1","sid":"s-1"}""";

        seeds.Add(Token("hs256", FuzzTarget.SignHs256(Utf8("""{"alg":"HS256","typ":"JWT","kid":"hs"}"""), Utf8(claims))));
        seeds.Add(Token("hs256-no-kid", FuzzTarget.SignHs256(Utf8("""{"alg":"HS256"}"""), Utf8(claims))));
        foreach (var (algorithm, kid) in new[] { ("RS256", "rs"), ("PS256", "ps"), ("ES256", "es") })
        {
            var header = Utf8($$"""{"alg":"{{algorithm}}","typ":"at+jwt","kid":"{{kid}}"}""");
            seeds.Add(Token(algorithm.ToLowerInvariant(), FuzzTarget.SignAsymmetric(algorithm, header, Utf8(claims))));
        }

        seeds.Add(new Seed("latin1-hs256", [(byte)FuzzTarget.Mode.Latin1Token, .. Encoding.Latin1.GetBytes(
            FuzzTarget.SignHs256(Utf8("""{"alg":"HS256","typ":"JWT"}"""), Utf8(claims)))]));

        var header256 = """{"alg":"HS256","typ":"JWT","kid":"hs"}""";
        var aud = $"\"aud\":\"{FuzzKeys.Audience}\"";
        var iss = $"\"iss\":\"{FuzzKeys.Issuer}\"";
        seeds.Add(Signed("claims", header256, claims));
        seeds.Add(Signed("aud-array", header256, $$"""{{{iss}},"aud":["x","{{FuzzKeys.Audience}}"],"exp":{{now + 60}}}"""));
        seeds.Add(Signed("fractions", header256, $$"""{{{iss}},{{aud}},"exp":{{now + 60}}.5,"nbf":1.7e9,"iat":{{now}}.0}"""));
        seeds.Add(Signed("escapes", header256, $$"""{"\u0069ss":"{{FuzzKeys.Issuer}}",{{aud}},"exp":{{now + 60}},"name":"\ud83d\ude00 \u00e9\n\"","sub":"a\/b"}"""));
        seeds.Add(Signed("nested", header256, $$$"""{{{{iss}}},{{{aud}}},"exp":{{{now + 60}}},"o":{"a":[1,2.5,-3e10,true,false,null,{"b":{"c":[[]]}}]}}"""));
        seeds.Add(Signed("duplicate", header256, $$$"""{{{{iss}}},{{{aud}}},"exp":{{{now + 60}}},"realm_access":{"roles":["admin"],"roles":["user"]}}"""));
        seeds.Add(Signed("huge-numbers", header256, $$"""{{{iss}},{{aud}},"exp":1e400,"n":123456789012345678901234567890}"""));
        seeds.Add(Signed("crit", """{"alg":"HS256","crit":["exp"],"exp":1}""", claims));
        seeds.Add(Signed("deep", header256, $$"""{{{iss}},{{aud}},"exp":{{now + 60}},"d":{{new string('[', 62)}}{{new string(']', 62)}}}"""));
        seeds.Add(Signed("default-header", header: null, claims));

        seeds.Add(KeySet("oct", """{"keys":[{"kty":"oct","kid":"hs","alg":"HS256","k":"YmVhcmVyLWF1dGgtZnV6ei1oczI1Ni1zZWNyZXQtMzI"}]}"""));
        seeds.Add(KeySet("own", Jwks.Write(
        [
            VerificationKey.Rsa(FuzzKeys.CreateRsa(), JwsAlgorithms.RS256, "rs"),
            VerificationKey.Ecdsa(FuzzKeys.CreateEcdsa(), JwsAlgorithms.ES256, "es"),
        ])));

        if (vectorsDirectory is not null)
        {
            AddVectors(seeds, vectorsDirectory);
        }

        return seeds;
    }

    private static void AddVectors(List<Seed> seeds, string directory)
    {
        var tokens = 0;
        var keys = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var value in Walk(document.RootElement))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (value.ValueKind == JsonValueKind.String && tokens < MaxVectorTokens
                    && value.GetString() is { Length: < 4096 } text && CompactJws().IsMatch(text))
                {
                    seeds.Add(Token($"vector-{name}-{tokens++}", text));
                }
                else if (value.ValueKind == JsonValueKind.Object && keys < MaxVectorKeys && value.TryGetProperty("kty", out _))
                {
                    seeds.Add(KeySet($"vector-{name}-{keys++}", "{\"keys\":[" + value.GetRawText() + "]}"));
                }
            }
        }
    }

    private static IEnumerable<JsonElement> Walk(JsonElement element)
    {
        yield return element;
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in element.EnumerateObject())
            {
                foreach (var inner in Walk(member.Value))
                {
                    yield return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in Walk(item))
                {
                    yield return inner;
                }
            }
        }
    }

    private static Seed Token(string name, string token) => new("token-" + name, [(byte)FuzzTarget.Mode.Token, .. Utf8(token)]);

    private static Seed Signed(string name, string? header, string payload) => new(
        "signed-" + name,
        header is null
            ? [(byte)FuzzTarget.Mode.SignedJson, .. Utf8(payload)]
            : [(byte)FuzzTarget.Mode.SignedJson, .. Utf8(header), 0, .. Utf8(payload)]);

    private static Seed KeySet(string name, string json) => new("keyset-" + name, [(byte)FuzzTarget.Mode.KeySet, .. Utf8(json)]);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [GeneratedRegex("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$")]
    private static partial Regex CompactJws();
}
