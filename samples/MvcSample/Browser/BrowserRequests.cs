using Microsoft.Net.Http.Headers;

namespace MvcSample.Browser;

/// <summary>Tells a browser's page request from an API call, and the facts the browser defences look at.</summary>
public static class BrowserRequests
{
    /// <summary>
    /// Whether the request is for a page: not under <c>/api</c> or <c>/.well-known</c>, and not asking for JSON. Pages
    /// answer a missing sign-in with a redirect to the login form and a missing role with a 403 page; everything else
    /// keeps the RFC 6750 <c>401</c>/<c>403</c> challenges.
    /// </summary>
    public static bool IsPage(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || request.Path.StartsWithSegments("/.well-known", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var accept in request.Headers.Accept)
        {
            if (accept is not null && accept.Contains("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the request carries <c>Bearer</c> credentials in its <c>Authorization</c> header exactly as the handler
    /// takes them: one header, <c>Bearer</c> in any case followed by a space (or nothing). The handler then judges that
    /// header alone and never reads the cookie, and no other site can make a browser send that header. Anything else
    /// (<c>BearerX y</c>, <c>Bearer&#x9;y</c>, a leading space) is another scheme to the handler, which then reads the
    /// cookie: such a request gets no exemption.
    /// </summary>
    public static bool HasBearerHeader(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string Scheme = "Bearer";
        var headers = request.Headers.Authorization;
        if (headers.Count != 1)
        {
            return false;
        }

        var value = headers[0].AsSpan();
        return value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && (value.Length == Scheme.Length || value[Scheme.Length] == ' ');
    }

    /// <summary>The path, with its base and query, the request asked for: where to come back to.</summary>
    public static string PathAndQuery(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (request.PathBase + request.Path + request.QueryString).ToString();
    }

    /// <summary>The login form's address, coming back to <paramref name="returnUrl"/> after sign-in.</summary>
    public static string LoginUrl(string returnUrl) => "/login?returnUrl=" + Uri.EscapeDataString(returnUrl);

    /// <summary>Whether the request is a WebSocket upgrade (RFC 6455 §4.1), which browsers send without fetch metadata's protection.</summary>
    public static bool IsWebSocketUpgrade(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var value in request.Headers[HeaderNames.Upgrade])
        {
            if (string.Equals(value?.Trim(), "websocket", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
