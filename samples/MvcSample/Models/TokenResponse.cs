using System.Text.Json.Serialization;

namespace MvcSample.Models;

/// <summary>The answer of <c>POST /api/auth/token</c> (RFC 6749 §5.1 member names).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in"), JsonPropertyOrder(1)] long ExpiresIn)
{
    [JsonPropertyName("token_type")]
    public string TokenType => "Bearer";
}
