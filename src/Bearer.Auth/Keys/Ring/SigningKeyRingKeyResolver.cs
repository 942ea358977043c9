using Microsoft.Extensions.Logging;

namespace Bearer.Auth;

/// <summary>
/// Resolves a token's key from the ring's published keys, bound to one issuer. The lookup reads the ring's snapshot
/// (no store round trip); only a <c>kid</c> the ring does not know re-reads the store, within the ring's cooldown.
/// </summary>
internal sealed class SigningKeyRingKeyResolver : IKeyResolver
{
    private readonly SigningKeyRing _ring;
    private readonly string _issuer;
    private readonly ILogger _logger;
    private volatile Bound _bound = new(null, new KeyIndex([]));

    internal SigningKeyRingKeyResolver(SigningKeyRing ring, string issuer, ILogger logger)
    {
        _ring = ring;
        _issuer = issuer;
        _logger = logger;
    }

    public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        var resolution = Resolve(header, issuer);
        if (resolution.Failure != TokenFailureReason.KeyNotFound || header.KeyId is null || !_ring.TryRefreshForUnknownKey(out var refresh))
        {
            return ValueTask.FromResult(resolution);
        }

        SigningKeyRingLog.RefreshForUnknownKey(_logger);
        return ResolveAfterAsync(refresh, header, issuer, cancellationToken);
    }

    public bool HasKeysBoundTo(string issuer) => string.Equals(issuer, _issuer, StringComparison.Ordinal);

    private async ValueTask<KeyResolution> ResolveAfterAsync(Task refresh, JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        try
        {
            await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SigningKeyUnavailableException)
        {
            // The read may have succeeded before a key creation failed: answer from what the ring has now.
            var resolution = Resolve(header, issuer);
            return resolution.Failure == TokenFailureReason.KeyNotFound ? KeyResolution.Unavailable : resolution;
        }

        return Resolve(header, issuer);
    }

    private KeyResolution Resolve(JwsHeader header, string? issuer)
    {
        var snapshot = _ring.Snapshot();
        var bound = _bound;
        if (!ReferenceEquals(bound.Snapshot, snapshot))
        {
            bound = new Bound(snapshot, new KeyIndex(BindAll(snapshot.Entries, _issuer)));
            _bound = bound;
        }

        return bound.Index.Resolve(header, issuer);
    }

    private static VerificationKey[] BindAll(IReadOnlyList<SigningKeyRingEntry> entries, string issuer)
    {
        var keys = new VerificationKey[entries.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = entries[i].BoundTo(issuer);
        }

        return keys;
    }

    /// <summary>A snapshot and the lookup built from it, swapped together.</summary>
    private sealed record Bound(SigningKeyRingSnapshot? Snapshot, KeyIndex Index);
}
