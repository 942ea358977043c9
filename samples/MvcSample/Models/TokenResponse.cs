using System.Text.Json.Serialization;

namespace MvcSample.Models;

/// <summary>The answer of <c>POST /api/auth/token</c> and <c>POST /api/auth/refresh</c> (RFC 6749 §5.1 member names).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token"), JsonPropertyOrder(0)] string AccessToken,
    [property: JsonPropertyName("expires_in"), JsonPropertyOrder(2)] long ExpiresIn,
    [property: JsonPropertyName("refresh_token"), JsonPropertyOrder(3)] string RefreshToken)
{
    [JsonPropertyName("token_type")]
    [JsonPropertyOrder(1)]
    public string TokenType => "Bearer";
}
