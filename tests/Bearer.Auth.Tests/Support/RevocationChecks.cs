namespace Bearer.Auth.Tests.Support;

/// <summary>Reads a revocation check as a yes/no in tests whose store is always reachable.</summary>
internal static class RevocationChecks
{
    /// <summary>Whether the check refuses <paramref name="token"/> as revoked; a check that cannot tell fails the test.</summary>
    internal static async ValueTask<bool> IsRevokedAsync(this ITokenRevocationCheck check, ValidatedToken token, CancellationToken cancellationToken)
    {
        var status = await check.CheckAsync(token, cancellationToken);
        Assert.NotEqual(TokenRevocationStatus.Unavailable, status);
        return status == TokenRevocationStatus.Revoked;
    }
}
