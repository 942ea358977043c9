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
    {
        Outcome = outcome;
        Session = session;
        SealedSuccessor = sealedSuccessor;
        SuccessorExpiresAt = successorExpiresAt;
    }

    /// <summary>Gets what was decided.</summary>
    public RefreshTokenRotationOutcome Outcome { get; }

    /// <summary>Gets the session of the presented token, when the store knows it.</summary>
    public RefreshTokenSession? Session { get; }

    /// <summary>Gets, on a retry, the successor sealed under a key derived from the presented token.</summary>
    public ReadOnlyMemory<byte> SealedSuccessor { get; }

    /// <summary>Gets, on a rotation or a retry, when the successor's idle lifetime ends (never after the session's end).</summary>
    public DateTimeOffset SuccessorExpiresAt { get; }
}
