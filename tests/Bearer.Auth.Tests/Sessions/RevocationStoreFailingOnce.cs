namespace Bearer.Auth.Tests.Sessions;

/// <summary>
/// An access-token revocation store whose first session revocation fails as an unreachable Redis does
/// (<see cref="TokenStoreUnavailableException"/>); it records every attempt and every revocation that succeeded.
/// </summary>
internal sealed class RevocationStoreFailingOnce : ITokenRevocationStore
{
    private readonly Lock _gate = new();
    private bool _failed;

    /// <summary>Every <c>sid</c> a revocation was attempted for, failed or not, in order.</summary>
    public List<string> Attempts { get; } = [];

    /// <summary>Every <c>sid</c> revoked, in order.</summary>
    public List<string> Revoked { get; } = [];

    public ValueTask RevokeSessionAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Attempts.Add(sessionId);
            if (!_failed)
            {
                _failed = true;
                return ValueTask.FromException(new TokenStoreUnavailableException("The revocation store is unavailable (test)."));
            }

            Revoked.Add(sessionId);
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask RevokeTokenAsync(string tokenId, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Sessions revoke by sid only.");

    public ValueTask RevokeSubjectAsync(string subject, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Sessions revoke by sid only.");

    public ValueTask<TokenRevocationStatus> CheckAsync(ValidatedToken token, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Not a validation test.");
}
