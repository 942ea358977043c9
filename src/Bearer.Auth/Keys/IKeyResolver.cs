namespace Bearer.Auth;

/// <summary>
/// Finds the keys that may have signed a token. Called after the header has passed the algorithm allow-list and
/// before the signature is verified, so its inputs are unverified: use <c>kid</c> and <c>iss</c> as opaque lookup
/// keys only, never as paths, URLs or queries, and never fetch anything the token points to.
/// </summary>
/// <remarks>
/// A resolver finds keys; it does not decide which issuer a key may vouch for. Bind a key to an issuer when you
/// create it (the <c>issuer</c> argument of the <see cref="VerificationKey"/> factories) and answer
/// <see cref="HasKeysBoundTo"/>: the validator then applies the same issuer rule to every resolver's keys. Wrap
/// <see cref="StaticKeyResolver"/> or <see cref="RemoteKeyResolver"/> to reuse their lookup, forwarding both members.
/// </remarks>
public interface IKeyResolver
{
    /// <summary>
    /// Returns the candidate keys for the token: keys whose algorithm equals <see cref="JwsHeader.Algorithm"/> and,
    /// when the token names one, whose <c>kid</c> equals <see cref="JwsHeader.KeyId"/>, of the issuer the token
    /// names: its own keys if it has any, otherwise unbound keys. A key that does not serve <paramref name="issuer"/>
    /// is never tried, so returning one only turns "no key" into "bad signature".
    /// </summary>
    /// <param name="header">The token's header.</param>
    /// <param name="issuer">The token's unverified <c>iss</c>, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels a remote lookup.</param>
    /// <returns>The candidates, or why there are none.</returns>
    ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken);

    /// <summary>
    /// Returns whether any key this resolver serves is bound to <paramref name="issuer"/> (by its
    /// <see cref="VerificationKey.Issuer"/>), whatever its <c>kid</c> or algorithm. Such an issuer is served by its own
    /// keys only: keys bound to no issuer, from this resolver or any other of the scheme, never verify its tokens. A
    /// resolver whose keys are all unbound returns <see langword="false"/>; one that wraps another forwards the call.
    /// </summary>
    /// <remarks>
    /// It has no default on purpose: answering <see langword="false"/> for an issuer this resolver does bind keys to
    /// would let the scheme's unbound keys (a configured <c>Jwks</c>, say) sign as that issuer.
    /// </remarks>
    /// <param name="issuer">The token's unverified <c>iss</c>.</param>
    /// <returns>Whether <paramref name="issuer"/> has keys of its own here.</returns>
    bool HasKeysBoundTo(string issuer);
}
