namespace Bearer.Auth;

/// <summary>
/// What verification hands to claim validation: the token whose signature verified (with its header and registered
/// claims as read), or why there is none.
/// </summary>
internal readonly struct VerifiedJws
{
    internal VerifiedJws(ValidatedToken token, in ParsedHeader header, in RegisteredClaims claims, bool headerFromMemo)
    {
        Token = token;
        Header = header;
        Claims = claims;
        HeaderFromMemo = headerFromMemo;
        Failure = TokenFailureReason.None;
    }

    private VerifiedJws(TokenFailureReason failure)
    {
        Failure = failure;
    }

    internal TokenFailureReason Failure { get; }

    /// <summary>The verified token; set when <see cref="Failure"/> is <see cref="TokenFailureReason.None"/>.</summary>
    internal ValidatedToken? Token { get; }

    internal ParsedHeader Header { get; }

    internal RegisteredClaims Claims { get; }

    /// <summary>Whether the header came from the header memo, so it need not be remembered again.</summary>
    internal bool HeaderFromMemo { get; }

    internal static VerifiedJws Failed(TokenFailureReason failure) => new(failure);

    /// <summary>The same verification with <paramref name="token"/> in place of its token (the cache's shared copy).</summary>
    internal VerifiedJws With(ValidatedToken token) => new(token, Header, Claims, headerFromMemo: true);
}
