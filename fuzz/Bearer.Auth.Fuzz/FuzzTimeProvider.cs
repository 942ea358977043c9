namespace Bearer.Auth.Fuzz;

/// <summary>A clock stopped at one instant, so whether a fuzzed token has expired never depends on when it runs.</summary>
internal sealed class FuzzTimeProvider : TimeProvider
{
    /// <summary>2026-06-01T12:00:00Z; the seed tokens are valid around it.</summary>
    internal static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
