using System.Text.Json.Serialization;

namespace MvcSample.Models;

/// <summary>One claim of the caller's identity.</summary>
public sealed record ClaimResponse(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] string Value);
