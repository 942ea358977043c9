namespace Bearer.Auth;

/// <summary>
/// The parameters of a JWS protected header that key resolution and validation use. Read from the token before the
/// signature is verified: treat <see cref="KeyId"/> as an opaque lookup key only.
/// </summary>
public readonly struct JwsHeader
{
    /// <summary>Creates a header.</summary>
    /// <param name="algorithm">The <c>alg</c>, one of <see cref="JwsAlgorithms"/>.</param>
    /// <param name="keyId">The <c>kid</c>, if any.</param>
    /// <param name="type">The <c>typ</c>, if any.</param>
    public JwsHeader(string algorithm, string? keyId, string? type)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        Type = type;
    }

    /// <summary>Gets the <c>alg</c>: always one of <see cref="JwsAlgorithms"/> and in the configured allow-list.</summary>
    public string Algorithm { get; }

    /// <summary>Gets the <c>kid</c>, or <see langword="null"/>.</summary>
    public string? KeyId { get; }

    /// <summary>
    /// Gets the <c>typ</c> as the token spells it, or <see langword="null"/> when absent. It is one of <c>ValidTypes</c>
    /// by the validator's rule (case-insensitive, <c>application/</c> prefix optional), so compare it the same way.
    /// </summary>
    public string? Type { get; }
}
