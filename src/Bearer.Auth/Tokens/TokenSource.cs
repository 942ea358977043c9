namespace Bearer.Auth;

/// <summary>Where a request's token came from (RFC 6750 §2), as <see cref="TokenValidationContext.Source"/> reports it.</summary>
public enum TokenSource
{
    /// <summary>Not said: the token was validated outside a request, or the caller did not say.</summary>
    Unspecified = 0,

    /// <summary>The <c>Authorization: Bearer</c> request header (RFC 6750 §2.1).</summary>
    AuthorizationHeader,

    /// <summary>The cookie named by <c>TokenCookieName</c>.</summary>
    Cookie,

    /// <summary>The query string, on a path listed in <c>QueryTokenPaths</c> (RFC 6750 §2.3).</summary>
    QueryString,

    /// <summary>The application's <c>OnMessageReceived</c> event.</summary>
    MessageReceivedEvent,
}
