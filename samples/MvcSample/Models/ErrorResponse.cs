using System.Text.Json.Serialization;

namespace MvcSample.Models;

/// <summary>An error body in the OAuth style: a stable code and a sentence for people.</summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);
