using Bearer.Auth.Tokens;

namespace Bearer.Auth.Keys;

/// <summary>The outcome of <see cref="ISigningKeyResolver.ResolveAsync"/>: candidate keys, or why there are none.</summary>
public readonly struct SigningKeyResolution
{
    private SigningKeyResolution(IReadOnlyList<SigningKey> keys, TokenFailureReason failure)
    {
        Keys = keys;
        Failure = failure;
    }

    /// <summary>Gets the candidate keys; empty when <see cref="Failure"/> is set.</summary>
    public IReadOnlyList<SigningKey> Keys { get; }

    /// <summary>
    /// Gets <see cref="TokenFailureReason.None"/> when keys were found, otherwise
    /// <see cref="TokenFailureReason.KeyNotFound"/> or <see cref="TokenFailureReason.KeySourceUnavailable"/>.
    /// </summary>
    public TokenFailureReason Failure { get; }

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
