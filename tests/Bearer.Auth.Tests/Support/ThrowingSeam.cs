namespace Bearer.Auth.Tests.Support;

/// <summary>A key resolver and revocation check that throw, as a broken custom one would.</summary>
internal sealed class ThrowingSeam : IKeyResolver, ITokenRevocationCheck
{
    internal const string Message = "The application's seam failed.";

    public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(Message);

    public bool HasKeysBoundTo(string issuer) => false;

    public ValueTask<TokenRevocationStatus> CheckAsync(ValidatedToken token, CancellationToken cancellationToken) =>
        ValueTask.FromException<TokenRevocationStatus>(new InvalidOperationException(Message));
}
