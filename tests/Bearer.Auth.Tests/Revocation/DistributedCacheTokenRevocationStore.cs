using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Distributed;

namespace Bearer.Auth.Tests.Revocation;

/// <summary>
/// A sample of the revocation seam, not product code: an <see cref="ITokenRevocationStore"/> over any
/// <see cref="IDistributedCache"/> (Redis, SQL Server…), written in the tests to prove that a store the library does
/// not ship keeps the same contract. Each revocation is one cache entry, keyed by its kind and identifier, whose value
/// holds the subject cut-off and the end of the revocation (UTC ticks, read from this store's clock).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>It decides by its own clock: the end travels in the value. The cache's expiration, relative so that the
/// cache's clock need not agree with ours, only frees the memory.</item>
/// <item>A second revocation of the same thing is read, merged (later cut-off, longer life) and written back.
/// <see cref="IDistributedCache"/> has no compare-and-swap, so the writes are serialized in this process only; stores
/// shared by several instances need an atomic merge (a Redis script, a SQL <c>MERGE</c>), or two instances revoking
/// one session at once may keep the shorter life.</item>
/// <item>A check costs up to three round trips. A production store answers from a local view (such as an
/// <see cref="InMemoryTokenRevocationStore"/>) kept in step with the shared truth.</item>
/// </list>
/// </remarks>
internal sealed class DistributedCacheTokenRevocationStore(IDistributedCache cache, TimeProvider time) : ITokenRevocationStore
{
    private const string TokenPrefix = "revoked:jti:";
    private const string SessionPrefix = "revoked:sid:";
    private const string SubjectPrefix = "revoked:sub:";

    private readonly SemaphoreSlim _writes = new(1, 1);

    public async ValueTask<TokenRevocationStatus> CheckAsync(ValidatedToken token, CancellationToken cancellationToken) =>
        await IsRevokedAsync(token, cancellationToken) ? TokenRevocationStatus.Revoked : TokenRevocationStatus.NotRevoked;

    private async ValueTask<bool> IsRevokedAsync(ValidatedToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = time.GetUtcNow().UtcTicks;
        return await FindLiveAsync(TokenPrefix, token.TokenId, now, cancellationToken) is not null
            || await FindLiveAsync(SessionPrefix, token.SessionId, now, cancellationToken) is not null
            || (await FindLiveAsync(SubjectPrefix, token.Subject, now, cancellationToken) is { } subject
                && (token.IssuedAt is not { } issuedAt || SubjectRevocation.IssuedBefore(issuedAt, subject.Since)));
    }

    public ValueTask RevokeTokenAsync(string tokenId, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        RevokeAsync(TokenPrefix, tokenId, since: 0, until, cancellationToken);

    public ValueTask RevokeSessionAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        RevokeAsync(SessionPrefix, sessionId, since: 0, until, cancellationToken);

    public ValueTask RevokeSubjectAsync(string subject, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        RevokeAsync(SubjectPrefix, subject, time.GetUtcNow().UtcTicks, until, cancellationToken);

    private async ValueTask<Entry?> FindLiveAsync(string prefix, string? identifier, long now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(identifier))
        {
            return null;
        }

        return Decode(await cache.GetAsync(prefix + identifier, cancellationToken)) is { } entry && now < entry.Until ? entry : null;
    }

    private async ValueTask RevokeAsync(string prefix, string identifier, long since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        var now = time.GetUtcNow();
        if (until <= now)
        {
            return; // what it would revoke has already expired
        }

        var key = prefix + identifier;
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var entry = new Entry(since, until.UtcTicks);
            if (Decode(await cache.GetAsync(key, cancellationToken)) is { } existing)
            {
                entry = new Entry(Math.Max(existing.Since, entry.Since), Math.Max(existing.Until, entry.Until));
            }

            var lifetime = new DateTimeOffset(entry.Until, TimeSpan.Zero) - now;
            await cache.SetAsync(key, Encode(entry), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }, cancellationToken);
        }
        finally
        {
            _writes.Release();
        }
    }

    private static byte[] Encode(Entry entry)
    {
        var value = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(value, entry.Since);
        BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(8), entry.Until);
        return value;
    }

    private static Entry? Decode(byte[]? value) =>
        value is { Length: 16 }
            ? new Entry(BinaryPrimitives.ReadInt64BigEndian(value), BinaryPrimitives.ReadInt64BigEndian(value.AsSpan(8)))
            : null;

    /// <summary>One revocation: tokens issued before <see cref="Since"/> (subjects only) are refused until <see cref="Until"/> (UTC ticks).</summary>
    private readonly record struct Entry(long Since, long Until);
}
