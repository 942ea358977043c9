namespace Bearer.Auth;

/// <summary>
/// Keeps the ring's keys in this process: a restart creates a new key and forgets the old ones (tokens signed before
/// the restart stop verifying), and instances do not share keys. For several instances, use a shared store
/// (<c>Bearer.Auth.Redis</c>).
/// </summary>
public sealed class InMemorySigningKeyStore : ISigningKeyStore
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<SigningKeyRecord> _records = [];

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock that decides when a key has expired; defaults to <see cref="TimeProvider.System"/>.</param>
    public InMemorySigningKeyStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            DropExpired();
            return Task.FromResult<IReadOnlyList<SigningKeyRecord>>([.. _records]);
        }
    }

    /// <inheritdoc />
    public Task AddAsync(SigningKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            DropExpired();
            if (!_records.Exists(r => string.Equals(r.KeyId, record.KeyId, StringComparison.Ordinal)))
            {
                _records.Add(record);
            }
        }

        return Task.CompletedTask;
    }

    private void DropExpired()
    {
        var now = _time.GetUtcNow();
        _records.RemoveAll(r => r.ExpiresAt <= now);
    }
}
