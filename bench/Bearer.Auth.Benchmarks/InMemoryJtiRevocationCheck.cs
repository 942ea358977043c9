using System.Collections.Concurrent;
using Bearer.Auth.Revocation;
using Bearer.Auth.Tokens;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// The simplest real revocation check: a set of revoked <c>jti</c> values in a <see cref="ConcurrentDictionary{TKey, TValue}"/>.
/// Bench-only stand-in until the real stores exist; it measures what the validator pays to run a check per request.
/// </summary>
public sealed class InMemoryJtiRevocationCheck : ITokenRevocationCheck
{
    private readonly ConcurrentDictionary<string, byte> _revoked = new(StringComparer.Ordinal);

    public void Revoke(string jti) => _revoked[jti] = 0;

    public ValueTask<bool> IsRevokedAsync(ValidatedToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ValueTask.FromResult(token.TokenId is { } jti && _revoked.ContainsKey(jti));
    }
}
