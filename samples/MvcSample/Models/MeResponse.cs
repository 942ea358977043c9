using System.Text.Json.Serialization;

namespace MvcSample.Models;

/// <summary>The answer of <c>GET /api/me</c>: who the token says the caller is.</summary>
public sealed record MeResponse(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("claims")] IReadOnlyList<ClaimResponse> Claims);
