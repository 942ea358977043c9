using System.Text.Json.Serialization;

namespace MvcSample.Models;

/// <summary>A JSON Web Key Set (RFC 7517 §5) of public keys.</summary>
public sealed record JsonWebKeySetResponse(
    [property: JsonPropertyName("keys")] IReadOnlyList<EcPublicJsonWebKey> Keys);
