using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Bounds;

/// <summary>
/// Heap bytes one validation allocates, measured on this thread around a call that completes synchronously (in-memory
/// keys, no revocation check): every byte the validator allocates for that token is counted, and nothing else. The
/// validator's header memo is emptied before every call, so every call reads its header as a first token with that
/// header does: a memo hit would skip the header's decode and read, and hide whatever they allocate.
/// </summary>
internal static class AllocationProbe
{
    /// <summary>
    /// The fewest bytes any of several validations of <paramref name="token"/> allocated, after warm-up: the first calls
    /// pay one-time costs (static state, tiering, pools filling), and another test's thread may briefly share a pool
    /// bucket, so the minimum is the token's own steady cost.
    /// </summary>
    internal static long Allocated(BearerJwtValidator validator, string token, TokenFailureReason expected)
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected, Run(validator, token, out _));
        }

        var least = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(expected, Run(validator, token, out var bytes));
            least = Math.Min(least, bytes);
        }

        return least;
    }

    private static TokenFailureReason Run(BearerJwtValidator validator, string token, out long bytes)
    {
        validator.Headers.Clear();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var pending = validator.ValidateAsync(token, CancellationToken.None);
        bytes = GC.GetAllocatedBytesForCurrentThread() - before;

        // Completed before returning, so all of its work ran on this thread inside the measurement.
        if (pending.IsCompletedSuccessfully)
        {
            return pending.Result.Failure;
        }

        Assert.Fail("The validation did not complete synchronously; the measurement would miss its work.");
        return TokenFailureReason.None;
    }

    /// <summary>A fixture whose validator does not cache tokens, so every call does the whole work.</summary>
    internal static ValidatorFixture Uncached(Action<BearerJwtOptions>? configure = null) => new(o =>
    {
        o.RepeatTokenCacheSize = 0;
        configure?.Invoke(o);
    });
}
