
namespace Bearer.Auth;

/// <summary>The outcome of <see cref="IKeyResolver.ResolveAsync"/>: candidate keys, or why there are none.</summary>
public readonly struct KeyResolution
{
    private readonly IReadOnlyList<VerificationKey>? _keys;
    private readonly TokenFailureReason _failure;

    private KeyResolution(IReadOnlyList<VerificationKey> keys, TokenFailureReason failure)
    {
        _keys = keys;
        _failure = failure;
    }

    /// <summary>Gets the candidate keys; empty when <see cref="Failure"/> is set.</summary>
    public IReadOnlyList<VerificationKey> Keys => _keys ?? [];

    /// <summary>
    /// Gets <see cref="TokenFailureReason.None"/> when keys were found, otherwise
    /// <see cref="TokenFailureReason.KeyNotFound"/>, <see cref="TokenFailureReason.KeyIssuerMismatch"/> or
    /// <see cref="TokenFailureReason.KeySourceUnavailable"/>.
    /// A <see langword="default"/> value (no keys, no reason) reads as <see cref="TokenFailureReason.KeyNotFound"/>.
    /// </summary>
    public TokenFailureReason Failure =>
        _failure == TokenFailureReason.None && (_keys is null || _keys.Count == 0) ? TokenFailureReason.KeyNotFound : _failure;

    /// <summary>Gets the result for "no key matches".</summary>
    public static KeyResolution NotFound { get; } = new([], TokenFailureReason.KeyNotFound);

    /// <summary>
    /// Gets the result for "keys match the token's <c>kid</c> and <c>alg</c>, but none may sign for its issuer": they
    /// are bound to other issuers (or unbound, and the issuer has keys of its own).
    /// </summary>
    public static KeyResolution NotForIssuer { get; } = new([], TokenFailureReason.KeyIssuerMismatch);

    /// <summary>Gets the result for "the key source cannot be reached and nothing usable is cached".</summary>
    public static KeyResolution Unavailable { get; } = new([], TokenFailureReason.KeySourceUnavailable);

    /// <summary>Creates a result with candidate keys; an empty list means <see cref="NotFound"/>.</summary>
    /// <param name="keys">The candidates.</param>
    /// <returns>The result.</returns>
    public static KeyResolution Found(IReadOnlyList<VerificationKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Count == 0 ? NotFound : new KeyResolution(keys, TokenFailureReason.None);
    }
}
