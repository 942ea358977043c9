using Bearer.Auth.Tokens;

namespace Bearer.Auth.Keys;

/// <summary>The outcome of <see cref="ISigningKeyResolver.ResolveAsync"/>: candidate keys, or why there are none.</summary>
public readonly struct SigningKeyResolution
{
    private readonly IReadOnlyList<SigningKey>? _keys;
    private readonly TokenFailureReason _failure;

    private SigningKeyResolution(IReadOnlyList<SigningKey> keys, TokenFailureReason failure)
    {
        _keys = keys;
        _failure = failure;
    }

    /// <summary>Gets the candidate keys; empty when <see cref="Failure"/> is set.</summary>
    public IReadOnlyList<SigningKey> Keys => _keys ?? [];

    /// <summary>
    /// Gets <see cref="TokenFailureReason.None"/> when keys were found, otherwise
    /// <see cref="TokenFailureReason.KeyNotFound"/> or <see cref="TokenFailureReason.KeySourceUnavailable"/>.
    /// A <see langword="default"/> value (no keys, no reason) reads as <see cref="TokenFailureReason.KeyNotFound"/>.
    /// </summary>
    public TokenFailureReason Failure =>
        _failure == TokenFailureReason.None && (_keys is null || _keys.Count == 0) ? TokenFailureReason.KeyNotFound : _failure;

    /// <summary>Gets the result for "no key matches".</summary>
    public static SigningKeyResolution NotFound { get; } = new([], TokenFailureReason.KeyNotFound);

    /// <summary>Gets the result for "the key source cannot be reached and nothing usable is cached".</summary>
    public static SigningKeyResolution Unavailable { get; } = new([], TokenFailureReason.KeySourceUnavailable);

    /// <summary>Creates a result with candidate keys; an empty list means <see cref="NotFound"/>.</summary>
    /// <param name="keys">The candidates.</param>
    /// <returns>The result.</returns>
    public static SigningKeyResolution Found(IReadOnlyList<SigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Count == 0 ? NotFound : new SigningKeyResolution(keys, TokenFailureReason.None);
    }
}
