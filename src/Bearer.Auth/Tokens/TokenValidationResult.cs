namespace Bearer.Auth;

/// <summary>The outcome of validating a token: the validated token, or the one reason it was refused.</summary>
public readonly struct TokenValidationResult
{
    private TokenValidationResult(ValidatedToken? token, TokenFailureReason failure)
    {
        Token = token;
        Failure = failure;
    }

    /// <summary>Gets whether the token is valid.</summary>
    public bool Succeeded => Token is not null;

    /// <summary>Gets the validated token when <see cref="Succeeded"/>.</summary>
    public ValidatedToken? Token { get; }

    /// <summary>Gets why the token was refused, or <see cref="TokenFailureReason.None"/>.</summary>
    public TokenFailureReason Failure { get; }

    /// <summary>Creates a successful result.</summary>
    /// <param name="token">The validated token.</param>
    /// <returns>The result.</returns>
    public static TokenValidationResult Success(ValidatedToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new(token, TokenFailureReason.None);
    }

    /// <summary>Creates a failed result.</summary>
    /// <param name="reason">Why; never <see cref="TokenFailureReason.None"/>.</param>
    /// <returns>The result.</returns>
    public static TokenValidationResult Fail(TokenFailureReason reason)
    {
        if (reason == TokenFailureReason.None)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), "A failure needs a reason.");
        }

        return new(null, reason);
    }
}
