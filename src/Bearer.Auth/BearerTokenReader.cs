using Microsoft.AspNetCore.Http;

namespace Bearer.Auth;

/// <summary>
/// Finds the bearer token in a request (RFC 6750 §2): the <c>Authorization</c> header, and only when the options opt
/// in, a named cookie or the query string on listed paths. A <c>Bearer</c> header wins over the cookie, which is then
/// not read (a browser sends a cookie with every request, so an API client on the same site cannot leave it out);
/// otherwise a token in more than one place is refused, not chosen.
/// </summary>
internal static class BearerTokenReader
{
    private const string Scheme = "Bearer";

    /// <summary>
    /// Returns <see cref="TokenFailureReason.None"/> with the token and where it was found,
    /// <see cref="TokenFailureReason.TokenMissing"/> when the request carries none (or another scheme's credentials),
    /// or the request-level failure.
    /// </summary>
    internal static TokenFailureReason Read(HttpRequest request, BearerJwtOptions options, out string? token, out TokenSource source)
    {
        token = null;
        source = TokenSource.Unspecified;
        var found = 0;

        var failure = ReadAuthorizationHeader(request.Headers.Authorization, ref token, ref found);
        if (failure != TokenFailureReason.None)
        {
            return failure;
        }

        if (found == 1)
        {
            source = TokenSource.AuthorizationHeader;
        }

        if (found == 0 && options.TokenCookieName is { Length: > 0 } cookieName)
        {
            failure = ReadCookie(request, cookieName, ref token, ref found);
            if (failure != TokenFailureReason.None)
            {
                return failure;
            }

            source = found == 1 ? TokenSource.Cookie : source;
        }

        if (options.QueryTokenPaths.Count > 0 && IsQueryTokenPath(request.Path, options.QueryTokenPaths))
        {
            var values = request.Query[options.QueryTokenParameter];
            if (values.Count > 1)
            {
                return TokenFailureReason.TokenMultiple;
            }

            if (values.Count == 1)
            {
                failure = Take(values[0], ref token, ref found);
                if (failure != TokenFailureReason.None)
                {
                    return failure;
                }

                source = found == 1 ? TokenSource.QueryString : source;
            }
        }

        return found switch
        {
            0 => TokenFailureReason.TokenMissing,
            1 => TokenFailureReason.None,
            _ => TokenFailureReason.TokenMultiple,
        };
    }

    private static TokenFailureReason ReadAuthorizationHeader(Microsoft.Extensions.Primitives.StringValues headers, ref string? token, ref int found)
    {
        if (headers.Count == 0)
        {
            return TokenFailureReason.None;
        }

        if (headers.Count > 1)
        {
            return TokenFailureReason.HeaderDuplicate;
        }

        var value = headers[0].AsSpan();
        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || (value.Length > Scheme.Length && value[Scheme.Length] != ' '))
        {
            return TokenFailureReason.None; // another scheme's credentials: not ours to judge
        }

        var credentials = value[Scheme.Length..].Trim(' ');
        if (credentials.IsEmpty)
        {
            return TokenFailureReason.TokenEmpty;
        }

        // One token68 only: a space or comma means a second credential or auth-params (RFC 7235 §2.1).
        if (credentials.ContainsAny(' ', ','))
        {
            return TokenFailureReason.TokenMultiple;
        }

        token = credentials.ToString();
        found++;
        return TokenFailureReason.None;
    }

    /// <summary>
    /// Reads the token cookie. The same name twice (a cookie planted by a sibling subdomain or with a longer path,
    /// which the browser sends first) is refused as <see cref="TokenFailureReason.TokenMultiple"/>: neither is chosen.
    /// A name differing only in case counts as the same name: ASP.NET Core's cookie collection looks names up ignoring
    /// case and keeps the last, so a variant beside the real cookie would otherwise replace its value unseen. A variant
    /// alone is not the cookie and is not read.
    /// </summary>
    private static TokenFailureReason ReadCookie(HttpRequest request, string cookieName, ref string? token, ref int found)
    {
        var headers = request.Headers.Cookie;
        var exact = 0;
        var anyCase = 0;
        for (var i = 0; i < headers.Count; i++)
        {
            CountCookies(headers[i], cookieName, ref exact, ref anyCase);
        }

        if (exact == 0)
        {
            return TokenFailureReason.None;
        }

        if (anyCase > 1)
        {
            return TokenFailureReason.TokenMultiple;
        }

        // Exactly one pair has the name in any case, and it is the exact one: the collection's value is that pair's.
        // An empty value is dropped by ASP.NET Core's cookie parser: no token, as if the cookie were absent.
        return request.Cookies.TryGetValue(cookieName, out var cookie) ? Take(cookie, ref token, ref found) : TokenFailureReason.None;
    }

    /// <summary>
    /// Counts the <c>name=value</c> pairs of one <c>Cookie</c> header (RFC 6265 §4.2.1) named exactly
    /// <paramref name="name"/> and those named <paramref name="name"/> in any case.
    /// </summary>
    private static void CountCookies(string? header, string name, ref int exact, ref int anyCase)
    {
        var rest = header.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOfAny(';', ',');
            var pair = (end < 0 ? rest : rest[..end]).Trim(' ');
            var equals = pair.IndexOf('=');
            if (equals > 0)
            {
                var pairName = pair[..equals].TrimEnd(' ');
                if (pairName.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    anyCase++;
                    exact += pairName.SequenceEqual(name) ? 1 : 0;
                }
            }

            rest = end < 0 ? [] : rest[(end + 1)..];
        }
    }

    private static TokenFailureReason Take(string? value, ref string? token, ref int found)
    {
        if (string.IsNullOrEmpty(value))
        {
            return TokenFailureReason.TokenEmpty;
        }

        token ??= value;
        found++;
        return TokenFailureReason.None;
    }

    private static bool IsQueryTokenPath(PathString path, IList<PathString> prefixes)
    {
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (path.StartsWithSegments(prefixes[i], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

}
