using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Bearer.Auth;

/// <summary>
/// Writes the RFC 9457 <c>application/problem+json</c> body of the scheme's 400, 401, 403 and 503: through the app's
/// <see cref="IProblemDetailsService"/> when it registered one (<c>services.AddProblemDetails()</c>, so its
/// customisation applies), else by hand with a <see cref="Utf8JsonWriter"/> (no reflection, trimming- and AOT-safe).
/// The members are fixed wording and codes, never token content.
/// </summary>
internal static class BearerProblemDetailsWriter
{
    internal const string ContentType = "application/problem+json";

    internal static Task WriteAsync(HttpContext context, Problem problem)
    {
        var service = context.RequestServices?.GetService<IProblemDetailsService>();
        return service is null ? WriteJsonAsync(context, problem) : WriteThroughServiceAsync(service, context, problem);
    }

    /// <summary>
    /// The problem type and title ASP.NET Core gives the same status (RFC 9110's section for it), so the scheme's
    /// problems read like the app's own; <see langword="null"/> for a status an event chose that we do not know.
    /// </summary>
    internal static (string Type, string Title)? TypeAndTitle(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest => ("https://tools.ietf.org/html/rfc9110#section-15.5.1", "Bad Request"),
        StatusCodes.Status401Unauthorized => ("https://tools.ietf.org/html/rfc9110#section-15.5.2", "Unauthorized"),
        StatusCodes.Status403Forbidden => ("https://tools.ietf.org/html/rfc9110#section-15.5.4", "Forbidden"),
        StatusCodes.Status503ServiceUnavailable => ("https://tools.ietf.org/html/rfc9110#section-15.6.4", "Service Unavailable"),
        _ => null,
    };

    private static async Task WriteThroughServiceAsync(IProblemDetailsService service, HttpContext context, Problem problem)
    {
        var known = TypeAndTitle(problem.StatusCode);
        var details = new ProblemDetails
        {
            Type = known?.Type,
            Title = known?.Title,
            Status = problem.StatusCode,
            Detail = problem.Detail,
        };
        AddIfSet(details, "error", problem.Error);
        AddIfSet(details, "reason", problem.Reason);
        AddIfSet(details, "scope", problem.Scope);

        // TryWrite, not Write: when the app's writers decline (e.g. the client does not accept JSON), the response
        // keeps its status and headers and no body, rather than an exception and a 500.
        await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details });
    }

    private static void AddIfSet(ProblemDetails details, string name, string? value)
    {
        if (value is not null)
        {
            details.Extensions[name] = value;
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, Problem problem)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            // RFC 9457 §4.2.1: with no type of its own a problem is about:blank, titled by its status phrase.
            var (type, title) = TypeAndTitle(problem.StatusCode) ?? ("about:blank", ReasonPhrases.GetReasonPhrase(problem.StatusCode));
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("title", title);
            json.WriteNumber("status", problem.StatusCode);
            WriteIfSet(json, "detail", problem.Detail);
            WriteIfSet(json, "error", problem.Error);
            WriteIfSet(json, "reason", problem.Reason);
            WriteIfSet(json, "scope", problem.Scope);
            json.WriteEndObject();
        }

        var response = context.Response;
        response.ContentType = ContentType;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory);
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>The members of one problem; <see langword="null"/> members are left out.</summary>
    /// <param name="StatusCode">The response status.</param>
    /// <param name="Detail">The fixed description of the reason (or of the 403).</param>
    /// <param name="Error">The RFC 6750 error the challenge names.</param>
    /// <param name="Reason">The machine-readable reason code, as the challenge's <c>reason</c>.</param>
    /// <param name="Scope">The RFC 6750 scope a 403 names.</param>
    internal readonly record struct Problem(int StatusCode, string? Detail, string? Error, string? Reason, string? Scope);
}
