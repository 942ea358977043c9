using System.Collections.Concurrent;

namespace Bearer.Auth;

/// <summary>
/// Revocations held in this process: for one instance, tests, or as the local view of a shared store. A check is a
/// few dictionary lookups, and none while nothing is revoked. Entries leave when what they revoke has expired, so
/// memory follows the number of live revocations.
/// </summary>
/// <remarks>
/// Why not <c>MemoryCache</c>: its expirations read its own clock, not <see cref="TimeProvider"/>, and its entries
/// cost an object each; here an entry is a dictionary slot holding two numbers.
/// </remarks>
public sealed class InMemoryTokenRevocationStore : ITokenRevocationStore
{
    /// <summary>How often, at most, writes sweep out expired entries (lookups drop the expired ones they meet).</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _subjects = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private long _nextSweep;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    public InMemoryTokenRevocationStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The entries held, expired or not yet swept (tests check that memory follows live revocations).</summary>
    internal int Count => _tokens.Count + _sessions.Count + _subjects.Count;

    /// <inheritdoc />
    public ValueTask<bool> IsRevokedAsync(ValidatedToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);

        // Nothing revoked (the usual case): no claim is read.
        if (_tokens.IsEmpty && _sessions.IsEmpty && _subjects.IsEmpty)
        {
            return ValueTask.FromResult(false);
        }

        // A claim is read only when something of its kind is revoked.
        var now = _time.GetUtcNow().UtcTicks;
        var revoked = (!_tokens.IsEmpty && IsLive(_tokens, token.TokenId, now, out _))
            || (!_sessions.IsEmpty && IsLive(_sessions, token.SessionId, now, out _))
            || (!_subjects.IsEmpty && IsLive(_subjects, token.Subject, now, out var subject)
                && (token.IssuedAt is not { } issuedAt || issuedAt.UtcTicks < subject.Since));
        return ValueTask.FromResult(revoked);
    }

    /// <inheritdoc />
    public ValueTask RevokeTokenAsync(string tokenId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        Add(_tokens, tokenId, new Entry(0, until.UtcTicks));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RevokeSessionAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        Add(_sessions, sessionId, new Entry(0, until.UtcTicks));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RevokeSubjectAsync(string subject, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        Add(_subjects, subject, new Entry(_time.GetUtcNow().UtcTicks, until.UtcTicks));
        return ValueTask.CompletedTask;
    }

    private static bool IsLive(ConcurrentDictionary<string, Entry> entries, string? key, long now, out Entry entry)
    {
        entry = default;
        if (key is null || !entries.TryGetValue(key, out entry))
        {
            return false;
        }

        if (now < entry.Until)
        {
            return true;
        }

        entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        return false;
    }

    private void Add(ConcurrentDictionary<string, Entry> entries, string key, Entry entry)
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (entry.Until <= now)
        {
            return; // what it would revoke has already expired
        }

        // A second revocation of the same thing keeps the later cut-off and the longer life.
        entries.AddOrUpdate(
            key,
            static (_, added) => added,
            static (_, existing, added) => new Entry(Math.Max(existing.Since, added.Since), Math.Max(existing.Until, added.Until)),
            entry);
        if (now >= Interlocked.Read(ref _nextSweep))
        {
            Interlocked.Exchange(ref _nextSweep, now + SweepInterval.Ticks);
            Sweep(_tokens, now);
            Sweep(_sessions, now);
            Sweep(_subjects, now);
        }
    }

    private static void Sweep(ConcurrentDictionary<string, Entry> entries, long now)
    {
        foreach (var (key, entry) in entries)
        {
            if (now >= entry.Until)
            {
                entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    /// <summary>One revocation: tokens issued before <see cref="Since"/> (subjects only) are refused until <see cref="Until"/> (UTC ticks).</summary>
    private readonly record struct Entry(long Since, long Until);
}
