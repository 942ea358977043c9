using System.Text.Json.Serialization;

namespace MvcSample.Models;

/// <summary>The public members of an EC JSON Web Key (RFC 7518 §6.2.1): never <c>d</c>.</summary>
public sealed record EcPublicJsonWebKey(
    [property: JsonPropertyName("kid")] string KeyId,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y)
{
    [JsonPropertyName("kty")]
    public string KeyType => "EC";

    [JsonPropertyName("crv")]
    public string Curve => "P-256";

    [JsonPropertyName("alg")]
    public string Algorithm => "ES256";

    [JsonPropertyName("use")]
    public string Use => "sig";
}
