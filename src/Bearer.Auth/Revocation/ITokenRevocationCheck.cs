namespace Bearer.Auth;

/// <summary>
/// Decides whether a token that is otherwise valid has been revoked (by <c>jti</c>, by session, by subject before a
/// point in time…). Runs on every request after the signature and claims are validated, so it should answer from
/// memory; the default allows all. <see cref="ITokenRevocationStore"/> adds the write side.
/// </summary>
/// <remarks>
/// A check that cannot tell (its shared store unreachable, its view possibly stale) answers
/// <see cref="TokenRevocationStatus.Unavailable"/>: a 503 with <c>Retry-After</c>, because the token is not known to be
/// bad. Throwing makes the request fail with a 500 (the server could not decide): keep exceptions for bugs.
/// </remarks>
public interface ITokenRevocationCheck
{
    /// <summary>Tells whether <paramref name="token"/> is revoked, or that the check cannot tell now.</summary>
    /// <param name="token">The validated token.</param>
    /// <param name="cancellationToken">Cancels a remote lookup.</param>
    /// <returns>
    /// <see cref="TokenRevocationStatus.Revoked"/> to refuse the token with <see cref="TokenFailureReason.TokenRevoked"/>;
    /// <see cref="TokenRevocationStatus.Unavailable"/> to answer <see cref="TokenFailureReason.RevocationUnavailable"/>.
    /// </returns>
    ValueTask<TokenRevocationStatus> CheckAsync(ValidatedToken token, CancellationToken cancellationToken);
}
