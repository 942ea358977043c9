namespace Bearer.Auth;

/// <summary>
/// What <see cref="IRefreshTokenStore.RotateAsync"/> is given: the presented token's hash, the client presenting it,
/// and a successor on offer, made before the call so that the store's one atomic step only has to choose.
/// </summary>
public sealed class RefreshTokenRotationRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="tokenHash">The SHA-256 hash (base64url) of the presented token.</param>
    /// <param name="clientId">The client presenting it.</param>
    /// <param name="successorHash">The hash of the successor on offer, stored if the presented token is current.</param>
    /// <param name="sealedSuccessor">The successor on offer, sealed under a key derived from the presented token; kept for the grace period so a retry gets it back.</param>
    /// <param name="tokenLifetime">The sliding idle lifetime the successor gets (capped at the session's end).</param>
    /// <param name="gracePeriod">How long the presented token, once replaced, still gets the successor back.</param>
    public RefreshTokenRotationRequest(string tokenHash, string clientId, string successorHash, ReadOnlyMemory<byte> sealedSuccessor, TimeSpan tokenLifetime, TimeSpan gracePeriod)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(successorHash);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tokenLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        TokenHash = tokenHash;
        ClientId = clientId;
        SuccessorHash = successorHash;
        SealedSuccessor = sealedSuccessor;
        TokenLifetime = tokenLifetime;
        GracePeriod = gracePeriod;
    }

    /// <summary>Gets the SHA-256 hash (base64url) of the presented token.</summary>
    public string TokenHash { get; }

    /// <summary>Gets the client presenting the token.</summary>
    public string ClientId { get; }

    /// <summary>Gets the hash of the successor on offer.</summary>
    public string SuccessorHash { get; }

    /// <summary>Gets the successor on offer, sealed under a key only the presenter of the token can derive.</summary>
    public ReadOnlyMemory<byte> SealedSuccessor { get; }

    /// <summary>Gets the sliding idle lifetime the successor gets.</summary>
    public TimeSpan TokenLifetime { get; }

    /// <summary>Gets the grace period within which the replaced token gets the same successor back.</summary>
    public TimeSpan GracePeriod { get; }
}
