namespace Bearer.Auth;

/// <summary>What verification hands to claim validation: the token whose signature verified, or why there is none.</summary>
internal readonly struct VerifiedJws
{
    internal VerifiedJws(ValidatedToken token, bool headerFromMemo)
    {
        Token = token;
        HeaderFromMemo = headerFromMemo;
    }

    private VerifiedJws(TokenFailureReason failure)
    {
        Failure = failure;
    }

    internal TokenFailureReason Failure { get; }

    /// <summary>The verified token; set when <see cref="Failure"/> is <see cref="TokenFailureReason.None"/>.</summary>
    internal ValidatedToken? Token { get; }

    /// <summary>Whether the header came from the header memo, so it need not be remembered again.</summary>
    internal bool HeaderFromMemo { get; }

    internal static VerifiedJws Failed(TokenFailureReason failure) => new(failure);
}
