namespace Bearer.Auth;

/// <summary>The answer of <see cref="IRefreshTokenStore.RotateAsync"/>.</summary>
public sealed class RefreshTokenRotation
{
    /// <summary>Creates an answer.</summary>
    /// <param name="outcome">What was decided.</param>
    /// <param name="session">The token's session; <see langword="null"/> only for <see cref="RefreshTokenRotationOutcome.Unknown"/>.</param>
    /// <param name="sealedSuccessor">For <see cref="RefreshTokenRotationOutcome.Retried"/>, the successor sealed when it was issued; otherwise empty.</param>
    /// <param name="successorExpiresAt">For <see cref="RefreshTokenRotationOutcome.Rotated"/> and <see cref="RefreshTokenRotationOutcome.Retried"/>, when the successor's idle lifetime ends.</param>
    public RefreshTokenRotation(RefreshTokenRotationOutcome outcome, RefreshTokenSession? session, ReadOnlyMemory<byte> sealedSuccessor, DateTimeOffset successorExpiresAt)
        : this(outcome, session, sealedSuccessor, successorExpiresAt, accessTokensPending: false)
    {
    }

    /// <summary>Creates an answer that may ask for the session's access tokens to be revoked.</summary>
    /// <param name="outcome">What was decided.</param>
    /// <param name="session">The token's session; <see langword="null"/> only for <see cref="RefreshTokenRotationOutcome.Unknown"/>.</param>
    /// <param name="sealedSuccessor">For <see cref="RefreshTokenRotationOutcome.Retried"/>, the successor sealed when it was issued; otherwise empty.</param>
    /// <param name="successorExpiresAt">For <see cref="RefreshTokenRotationOutcome.Rotated"/> and <see cref="RefreshTokenRotationOutcome.Retried"/>, when the successor's idle lifetime ends.</param>
    /// <param name="accessTokensPending">For <see cref="RefreshTokenRotationOutcome.Reused"/> and <see cref="RefreshTokenRotationOutcome.Revoked"/>, whether the session's access tokens are still to be revoked.</param>
    public RefreshTokenRotation(
        RefreshTokenRotationOutcome outcome, RefreshTokenSession? session, ReadOnlyMemory<byte> sealedSuccessor, DateTimeOffset successorExpiresAt, bool accessTokensPending)
    {
        Outcome = outcome;
        Session = session;
        SealedSuccessor = sealedSuccessor;
        SuccessorExpiresAt = successorExpiresAt;
        AccessTokensPending = accessTokensPending;
    }

    /// <summary>Gets what was decided.</summary>
    public RefreshTokenRotationOutcome Outcome { get; }

    /// <summary>Gets the session of the presented token, when the store knows it.</summary>
    public RefreshTokenSession? Session { get; }

    /// <summary>Gets, on a retry, the successor sealed under a key derived from the presented token.</summary>
    public ReadOnlyMemory<byte> SealedSuccessor { get; }

    /// <summary>Gets, on a rotation or a retry, when the successor's idle lifetime ends (never after the session's end).</summary>
    public DateTimeOffset SuccessorExpiresAt { get; }

    /// <summary>
    /// Gets whether the session is revoked and its access tokens are still to be revoked: always on
    /// <see cref="RefreshTokenRotationOutcome.Reused"/>; on <see cref="RefreshTokenRotationOutcome.Revoked"/> until
    /// <see cref="IRefreshTokenStore.MarkAccessTokensRevokedAsync"/> (a revocation that failed earlier is done again,
    /// once it succeeds never again).
    /// </summary>
    public bool AccessTokensPending { get; }
}
