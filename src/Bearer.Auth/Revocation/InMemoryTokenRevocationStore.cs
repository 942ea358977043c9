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

    private readonly EntrySet _tokens = new();
    private readonly EntrySet _sessions = new();
    private readonly EntrySet _subjects = new();
    private readonly Lock _writeGate = new();
    private readonly TimeProvider _time;
    private long _nextSweep;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    public InMemoryTokenRevocationStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The entries held, expired or not yet swept (tests check that memory follows live revocations).</summary>
    internal int Count => _tokens.Entries.Count + _sessions.Entries.Count + _subjects.Entries.Count;

    /// <inheritdoc />
    public ValueTask<TokenRevocationStatus> CheckAsync(ValidatedToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ValueTask.FromResult(IsRevoked(token) ? TokenRevocationStatus.Revoked : TokenRevocationStatus.NotRevoked);
    }

    /// <summary>The lookup itself, synchronous: the Redis store answers from this view after checking it is current.</summary>
    internal bool IsRevoked(ValidatedToken token)
    {
        // Nothing revoked (the usual case): three field reads, no claim read, no lock. (ConcurrentDictionary.IsEmpty
        // would take every one of its locks exactly when the dictionary is empty.)
        if (!_tokens.MayHoldEntries && !_sessions.MayHoldEntries && !_subjects.MayHoldEntries)
        {
            return false;
        }

        // A claim is read only when something of its kind is revoked (tested before the argument is evaluated: an
        // absent claim is looked for in the payload again at every read), the clock only when an entry is found.
        return (_tokens.MayHoldEntries && _tokens.IsLive(token.TokenId, _time, out _))
            || (_sessions.MayHoldEntries && _sessions.IsLive(token.SessionId, _time, out _))
            || (_subjects.MayHoldEntries && _subjects.IsLive(token.Subject, _time, out var subject)
                && (token.IssuedAt is not { } issuedAt || SubjectRevocation.IssuedBefore(issuedAt, subject.Since)));
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

    /// <summary>
    /// Adds a revocation whose subject cut-off (<paramref name="since"/>, UTC ticks; 0 for the other kinds) was read
    /// elsewhere: the Redis store replays into this view the entries other instances wrote, with their writer's cut-off.
    /// Merges as the public methods do, so replaying an entry twice, or out of order, changes nothing.
    /// </summary>
    internal void Apply(RevocationKind kind, string key, long since, long until)
    {
        var set = kind switch
        {
            RevocationKind.Token => _tokens,
            RevocationKind.Session => _sessions,
            _ => _subjects,
        };
        Add(set, key, new Entry(kind == RevocationKind.Subject ? since : 0, until));
    }

    private void Add(EntrySet set, string key, Entry entry)
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (entry.Until <= now)
        {
            return; // what it would revoke has already expired
        }

        // Writes are rare; one gate keeps a sweep from clearing a set's flag while an entry goes in.
        lock (_writeGate)
        {
            set.Add(key, entry);
            if (now >= _nextSweep)
            {
                _nextSweep = now + SweepInterval.Ticks;
                _tokens.Sweep(now);
                _sessions.Sweep(now);
                _subjects.Sweep(now);
            }
        }
    }

    /// <summary>One revocation: tokens issued before <see cref="Since"/> (subjects only) are refused until <see cref="Until"/> (UTC ticks).</summary>
    private readonly record struct Entry(long Since, long Until);

    /// <summary>The revocations of one kind, and whether there may be any: readers skip the lookup when there are none.</summary>
    private sealed class EntrySet
    {
        private volatile bool _mayHoldEntries;

        internal ConcurrentDictionary<string, Entry> Entries { get; } = new(StringComparer.Ordinal);

        /// <summary>False only when the set is empty; set before an entry goes in, cleared by a sweep that empties it.</summary>
        internal bool MayHoldEntries => _mayHoldEntries;

        internal bool IsLive(string? key, TimeProvider time, out Entry entry)
        {
            entry = default;
            if (!_mayHoldEntries || key is null || !Entries.TryGetValue(key, out entry))
            {
                return false;
            }

            if (time.GetUtcNow().UtcTicks < entry.Until)
            {
                return true;
            }

            Entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return false;
        }

        /// <summary>Called under the store's write gate.</summary>
        internal void Add(string key, Entry entry)
        {
            _mayHoldEntries = true;

            // A second revocation of the same thing keeps the later cut-off and the longer life.
            Entries.AddOrUpdate(
                key,
                static (_, added) => added,
                static (_, existing, added) => new Entry(Math.Max(existing.Since, added.Since), Math.Max(existing.Until, added.Until)),
                entry);
        }

        /// <summary>Called under the store's write gate, so no entry can go in between the emptiness check and the clear.</summary>
        internal void Sweep(long now)
        {
            foreach (var (key, entry) in Entries)
            {
                if (now >= entry.Until)
                {
                    Entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                }
            }

            if (Entries.IsEmpty)
            {
                _mayHoldEntries = false;
            }
        }
    }
}
