namespace Bearer.Auth;

/// <summary>The default check: no token is revoked. Replace it by registering another <see cref="ITokenRevocationCheck"/>.</summary>
internal sealed class NoTokenRevocationCheck : ITokenRevocationCheck
{
    internal static readonly NoTokenRevocationCheck Instance = new();

    public ValueTask<TokenRevocationStatus> CheckAsync(ValidatedToken token, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TokenRevocationStatus.NotRevoked);
}
