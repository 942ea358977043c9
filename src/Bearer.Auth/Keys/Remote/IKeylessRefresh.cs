namespace Bearer.Auth;

/// <summary>
/// A resolver whose key sets may be refreshed because a token without <c>kid</c> failed against every candidate: with
/// kid-less keys a rotated key is never "unknown", so a failed signature is the only sign of a rotation.
/// </summary>
internal interface IKeylessRefresh
{
    /// <summary>
    /// Refreshes the remote key sets that served the candidates of a token without <c>kid</c>, under the same
    /// single-flight fetch and <see cref="RemoteKeySetOptions.UnknownKeyCooldown"/> as an unknown <c>kid</c>, waiting
    /// at most <see cref="RemoteKeySetOptions.RefreshWaitTimeout"/>. Never throws for a failed fetch.
    /// </summary>
    /// <returns>Whether a fetch completed, so the candidates may have changed.</returns>
    ValueTask<bool> RefreshForKeylessTokenAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken);
}
