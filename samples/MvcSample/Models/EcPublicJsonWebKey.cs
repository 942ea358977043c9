using System.Text.Json.Serialization;

namespace MvcSample.Models;

/// <summary>The public members of an EC JSON Web Key (RFC 7518 §6.2.1): never <c>d</c>.</summary>
public sealed record EcPublicJsonWebKey(
    [property: JsonPropertyName("kid"), JsonPropertyOrder(2)] string KeyId,
    [property: JsonPropertyName("x"), JsonPropertyOrder(1)] string X,
    [property: JsonPropertyName("y"), JsonPropertyOrder(1)] string Y)
{
    [JsonPropertyName("kty")]
    public string KeyType => "EC";

    [JsonPropertyName("crv")]
    public string Curve => "P-256";

    [JsonPropertyName("alg")]
    [JsonPropertyOrder(3)]
    public string Algorithm => "ES256";

    [JsonPropertyName("use")]
    [JsonPropertyOrder(3)]
    public string Use => "sig";
}
