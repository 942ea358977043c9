namespace Bearer.Auth;

/// <summary>
/// The <see cref="SigningKeyRing"/> has no key that may sign now and could not create one, or could not read or write
/// its <see cref="ISigningKeyStore"/>: a dependency is down, so answer 503 (Service Unavailable) and retry later.
/// </summary>
public sealed class SigningKeyUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SigningKeyUnavailableException()
        : base("The signing key ring has no key that signs now.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is unavailable.</param>
    public SigningKeyUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is unavailable.</param>
    /// <param name="innerException">The store's failure.</param>
    public SigningKeyUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
