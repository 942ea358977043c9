using Microsoft.AspNetCore.Http;

namespace Bearer.Auth;

/// <summary>
/// Finds the bearer token in a request (RFC 6750 §2): the <c>Authorization</c> header, and only when the options opt
/// in, a named cookie or the query string on listed paths. A token in more than one place is refused, not chosen.
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

        if (options.TokenCookieName is { Length: > 0 } cookieName && request.Cookies.TryGetValue(cookieName, out var cookie))
        {
            failure = Take(cookie, ref token, ref found);
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
