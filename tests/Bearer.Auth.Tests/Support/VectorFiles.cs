using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bearer.Auth.Tests.Support;

/// <summary>Loads the JSON test vectors copied under <c>Vectors/</c> (see the licences and READMEs there).</summary>
internal static class VectorFiles
{
    private static readonly ConcurrentDictionary<string, JsonNode> Cache = new(StringComparer.Ordinal);

    /// <summary>The parsed file at <paramref name="relativePath"/> under <c>Vectors/</c>, loaded once per run.</summary>
    internal static JsonNode Load(string relativePath) =>
        Cache.GetOrAdd(relativePath, path => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", path)))!);

    /// <summary>Every Wycheproof test of a file with the group it belongs to.</summary>
    internal static IEnumerable<(JsonNode Group, JsonNode Test)> WycheproofTests(string file) =>
        from g in Load(Path.Combine("wycheproof", file))["testGroups"]!.AsArray()
        from t in g!["tests"]!.AsArray()
        select (g!, t!);

    internal static byte[] Hex(JsonNode? node) => Convert.FromHexString(node!.GetValue<string>());

    /// <summary>One JWK as a <see cref="VerificationKey"/> through the library's JWKS reader, optionally forcing its <c>alg</c>.</summary>
    internal static VerificationKey JwkToKey(JsonNode jwk, string? algIfMissing = null)
    {
        var copy = jwk.DeepClone().AsObject();
        if (algIfMissing is not null && !copy.ContainsKey("alg"))
        {
            copy["alg"] = algIfMissing;
        }

        return Assert.Single(Jwks.Parse(new JsonObject { ["keys"] = new JsonArray(copy) }.ToJsonString(), allowSymmetricKeys: true));
    }

    /// <summary>A validator for the JWS layer over <paramref name="keys"/> that checks no issuer or audience.</summary>
    internal static BearerJwtValidator JwsValidator(params VerificationKey[] keys)
    {
        var options = new BearerJwtOptions { ValidateIssuer = false, ValidateAudience = false, KeyResolver = new StaticKeyResolver(keys) };
        return TestValidators.From(options);
    }

    /// <summary>A copy of a JWK without its private members (vectors ship private keys; a verifier needs none).</summary>
    internal static JsonObject WithoutPrivateParts(JsonNode jwk)
    {
        var copy = jwk.DeepClone().AsObject();
        foreach (var privatePart in new[] { "d", "p", "q", "dp", "dq", "qi" })
        {
            copy.Remove(privatePart);
        }

        return copy;
    }

    internal static string Serialize(JsonNode node) => node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
}
