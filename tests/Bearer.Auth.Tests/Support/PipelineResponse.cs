using System.Net;
using System.Text.Json;

namespace Bearer.Auth.Tests.Support;

/// <summary>A response read in full, with the headers the tests pin already parsed out.</summary>
internal sealed record PipelineResponse(
    HttpStatusCode Status,
    string? WwwAuthenticate,
    string? CacheControl,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Body)
{
    internal static async Task<PipelineResponse> ReadAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))
            .ToList();
        return new PipelineResponse(
            response.StatusCode,
            response.Headers.TryGetValues("WWW-Authenticate", out var challenges) ? string.Join("|", challenges) : null,
            response.Headers.TryGetValues("Cache-Control", out var cacheControl) ? string.Join(", ", cacheControl) : null,
            headers,
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    internal JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The values of header <paramref name="name"/> (response or content), joined with <c>|</c>; <see langword="null"/> when absent.</summary>
    internal string? Header(string name)
    {
        var values = Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join("|", values);
    }

    /// <summary>The <c>[type, value, valueType]</c> triples of a <c>/whoami</c> response.</summary>
    internal IReadOnlyList<(string Type, string Value, string ValueType)> Claims =>
        [.. Json.GetProperty("claims").EnumerateArray().Select(c => (c[0].GetString()!, c[1].GetString()!, c[2].GetString()!))];

    /// <summary>The values of the <c>/whoami</c> claims of <paramref name="type"/>, in order.</summary>
    internal string[] ValuesOf(string type) => [.. Claims.Where(c => c.Type == type).Select(c => c.Value)];
}
