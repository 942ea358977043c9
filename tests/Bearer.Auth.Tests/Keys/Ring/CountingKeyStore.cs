namespace Bearer.Auth.Tests.Keys.Ring;

/// <summary>
/// A store in memory that counts reads and can fail them, fail writes, or answer its first reads as if empty (as an
/// instance that read just before another added a key).
/// </summary>
internal sealed class CountingKeyStore(TimeProvider time) : ISigningKeyStore
{
    private readonly InMemorySigningKeyStore _inner = new(time);

    internal int Loads { get; private set; }

    internal bool FailLoads { get; set; }

    internal bool FailAdds { get; set; }

    /// <summary>How many of the next reads answer <see cref="StaleAnswer"/> whatever the store holds.</summary>
    internal int StaleLoads { get; set; }

    /// <summary>What a stale read answers: by default, no keys.</summary>
    internal IReadOnlyList<SigningKeyRecord> StaleAnswer { get; set; } = [];

    /// <summary>When set, reads wait for it (a store that answers slowly).</summary>
    internal TaskCompletionSource? HoldLoads { get; set; }

    public async Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken = default)
    {
        Loads++;
        if (HoldLoads is { } hold)
        {
            await hold.Task;
        }

        if (FailLoads)
        {
            throw new InvalidOperationException("store down (test)");
        }

        if (StaleLoads > 0)
        {
            StaleLoads--;
            return StaleAnswer;
        }

        return await _inner.LoadAsync(cancellationToken);
    }

    public Task AddAsync(SigningKeyRecord record, CancellationToken cancellationToken = default) =>
        FailAdds ? throw new InvalidOperationException("store down (test)") : _inner.AddAsync(record, cancellationToken);
}
