using Bearer.Auth.Tokens;

namespace Bearer.Auth.Revocation;

/// <summary>
/// Decides whether a token that is otherwise valid has been revoked (by <c>jti</c>, by subject before a point in
/// time, by session…). Runs on every request after the signature and claims are validated; the default allows all.
/// </summary>
public interface ITokenRevocationCheck
{
    /// <summary>Returns whether <paramref name="token"/> is revoked.</summary>
    /// <param name="token">The validated token.</param>
    /// <param name="cancellationToken">Cancels a remote lookup.</param>
    /// <returns><see langword="true"/> to refuse the token with <see cref="TokenFailureReason.TokenRevoked"/>.</returns>
    ValueTask<bool> IsRevokedAsync(ValidatedToken token, CancellationToken cancellationToken);
}
