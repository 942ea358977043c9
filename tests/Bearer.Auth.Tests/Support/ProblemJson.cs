namespace Bearer.Auth.Tests.Support;

/// <summary>
/// The exact <c>application/problem+json</c> body the scheme writes when the app registered no
/// <c>IProblemDetailsService</c>, spelled out by hand: members in order, absent ones left out.
/// </summary>
internal static class ProblemJson
{
    internal const string Unauthorized = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401""";
    internal const string BadRequest = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"Bad Request","status":400""";
    internal const string Forbidden = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.4","title":"Forbidden","status":403""";
    internal const string ServiceUnavailable = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.6.4","title":"Service Unavailable","status":503""";

    /// <summary>The body for <paramref name="status"/> (401, 400, 403 or 503) with the members given.</summary>
    internal static string For(int status, string? detail = null, string? error = null, string? reason = null, string? scope = null)
    {
        var start = status switch
        {
            401 => Unauthorized,
            400 => BadRequest,
            403 => Forbidden,
            503 => ServiceUnavailable,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Spell this one out in the test."),
        };
        return start + Member("detail", detail) + Member("error", error) + Member("reason", reason) + Member("scope", scope) + "}";
    }

    private static string Member(string name, string? value) => value is null ? "" : $",\"{name}\":\"{value}\"";
}
