namespace Bearer.Auth;

/// <summary>
/// Thrown by a remote refresh-token or revocation store (for example the Redis stores of <c>Bearer.Auth.Redis</c>)
/// when it cannot be reached or does not answer in time. Nothing was decided about the token: the request is neither
/// accepted nor refused, so answer <c>503 Service Unavailable</c> with a <c>Retry-After</c> header rather than a
/// refusal, and let the client try again. <see cref="Exception.InnerException"/> holds the store's own error.
/// </summary>
/// <remarks>
/// One type for every store, so that a caller of <see cref="BearerJwtRefreshTokens"/> catches the same exception
/// whichever store is registered (the in-memory stores never throw it).
/// </remarks>
public sealed class TokenStoreUnavailableException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public TokenStoreUnavailableException()
        : base("The token store is unavailable.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What could not be reached.</param>
    public TokenStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the store's own error.</summary>
    /// <param name="message">What could not be reached.</param>
    /// <param name="innerException">The store's error (for example a connection or timeout exception).</param>
    public TokenStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
