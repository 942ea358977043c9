namespace Bearer.Auth;

/// <summary>
/// Decides whether a token that is otherwise valid has been revoked (by <c>jti</c>, by session, by subject before a
/// point in time…). Runs on every request after the signature and claims are validated, so it should answer from
/// memory; the default allows all. <see cref="ITokenRevocationStore"/> adds the write side.
/// </summary>
/// <remarks>
/// Throwing makes the request fail with a 500 (the server could not decide), which is not the same as "revoked":
/// a store that cannot answer should say so in its own way rather than refuse every token.
/// </remarks>
public interface ITokenRevocationCheck
{
    /// <summary>Returns whether <paramref name="token"/> is revoked.</summary>
    /// <param name="token">The validated token.</param>
    /// <param name="cancellationToken">Cancels a remote lookup.</param>
    /// <returns><see langword="true"/> to refuse the token with <see cref="TokenFailureReason.TokenRevoked"/>.</returns>
    ValueTask<bool> IsRevokedAsync(ValidatedToken token, CancellationToken cancellationToken);
}
