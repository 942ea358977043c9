using Bearer.Auth.Tokens;

namespace Bearer.Auth.Keys;

/// <summary>
/// Finds the keys that may have signed a token. Called after the header has passed the algorithm allow-list and
/// before the signature is verified, so its inputs are unverified: use <c>kid</c> and <c>iss</c> as opaque lookup
/// keys only, never as paths, URLs or queries, and never fetch anything the token points to.
/// </summary>
public interface ISigningKeyResolver
{
    /// <summary>
    /// Returns the candidate keys whose algorithm equals <see cref="JwsHeader.Algorithm"/> and, when the token
    /// names one, whose <c>kid</c> equals <see cref="JwsHeader.KeyId"/>: the keys bound to
    /// <paramref name="issuer"/> when the resolver has any for it, otherwise only keys bound to no issuer.
    /// </summary>
    /// <param name="header">The token's header.</param>
    /// <param name="issuer">The token's unverified <c>iss</c>, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels a remote lookup.</param>
    /// <returns>The candidates, or why there are none.</returns>
    ValueTask<SigningKeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken);
}
