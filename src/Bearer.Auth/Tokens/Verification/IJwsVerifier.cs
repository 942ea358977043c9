namespace Bearer.Auth;

/// <summary>
/// The first two stages as one step, from token text to a token whose signature verified: <see cref="JwsVerifier"/>,
/// or the repeat-token cache in front of it.
/// </summary>
internal interface IJwsVerifier
{
    /// <summary>Parses and verifies <paramref name="token"/>.</summary>
    /// <param name="token">The compact token.</param>
    /// <param name="cancellationToken">Cancels key resolution.</param>
    ValueTask<VerifiedJws> VerifyAsync(string token, CancellationToken cancellationToken);

    /// <summary>
    /// Told that <paramref name="verified"/> passed every check, so what is kept for later tokens (the header memo, the
    /// repeat-token cache) is learnt from valid tokens only. Returns the token to hand out: the cache's shared copy
    /// once it keeps the token.
    /// </summary>
    /// <param name="token">The compact token.</param>
    /// <param name="verified">Its verification.</param>
    /// <param name="now">The clock reading its claims were validated at, in Unix seconds.</param>
    ValidatedToken Accept(string token, in VerifiedJws verified, double now);
}
