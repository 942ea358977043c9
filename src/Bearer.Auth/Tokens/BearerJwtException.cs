namespace Bearer.Auth;

/// <summary>
/// The failure carried by <c>AuthenticateResult.Failure</c> when a bearer token is refused. It is created, never
/// thrown, by the handler; read <see cref="Reason"/> (or <see cref="Code"/>) to learn why.
/// </summary>
public sealed class BearerJwtException : Exception
{
    /// <summary>Creates the failure for <paramref name="reason"/>.</summary>
    /// <param name="reason">Why the token was refused.</param>
    public BearerJwtException(TokenFailureReason reason)
        : base(reason.ToDescription())
    {
        Reason = reason;
    }

    /// <summary>Creates the failure with a generic reason; prefer the constructor taking a <see cref="TokenFailureReason"/>.</summary>
    public BearerJwtException()
        : this(TokenFailureReason.TokenRejected)
    {
    }

    /// <summary>Creates the failure with a custom message and <see cref="TokenFailureReason.TokenRejected"/>.</summary>
    /// <param name="message">The message.</param>
    public BearerJwtException(string message)
        : base(message)
    {
        Reason = TokenFailureReason.TokenRejected;
    }

    /// <summary>Creates the failure with a custom message, an inner exception and <see cref="TokenFailureReason.TokenRejected"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public BearerJwtException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = TokenFailureReason.TokenRejected;
    }

    /// <summary>Gets why the token was refused.</summary>
    public TokenFailureReason Reason { get; }

    /// <summary>Gets the stable code of <see cref="Reason"/>, e.g. <c>token_expired</c>.</summary>
    public string Code => Reason.ToCode();
}
