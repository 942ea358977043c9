using System.Diagnostics;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// The paired way of timing on a loaded machine, shared by the <c>interleaved</c> and <c>pipeline</c> modes: each
/// round times one small batch of every case in rotating order, so all cases are sampled at nearly the same moments
/// and a change in background load moves them together; ratios of the per-case medians over all rounds are then far
/// steadier than ratios of separate runs.
/// </summary>
internal static class PairedSampler
{
    /// <summary>
    /// Runs each case for <paramref name="duration"/> (long enough for tiered compilation to reach its optimized code
    /// and dynamic PGO to settle), failing the run if a case answers false: a refusal is not what is being measured.
    /// </summary>
    internal static void WarmUp(IReadOnlyList<(string Name, Func<bool> Call)> cases, TimeSpan duration)
    {
        foreach (var (name, call) in cases)
        {
            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed < duration)
            {
                BenchSetup.Check(call(), name);
            }
        }
    }

    /// <summary>
    /// Times <paramref name="rounds"/> batches of <paramref name="batch"/> calls per case, cases in rotating order.
    /// <paramref name="allocatedBytes"/> counts allocations: the current thread's for code that stays on it, the
    /// process's for code that hops threads (TestServer).
    /// </summary>
    internal static Samples[] Sample(IReadOnlyList<(string Name, Func<bool> Call)> cases, int rounds, int batch, Func<long> allocatedBytes)
    {
        var times = new double[cases.Count][];
        var bytes = new long[cases.Count];
        for (var c = 0; c < cases.Count; c++)
        {
            times[c] = new double[rounds];
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < cases.Count; k++)
            {
                var c = (k + round) % cases.Count;
                var call = cases[c].Call;
                var allocated = allocatedBytes();
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < batch; i++)
                {
                    call();
                }

                times[c][round] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / batch;
                bytes[c] += allocatedBytes() - allocated;
            }
        }

        var samples = new Samples[cases.Count];
        for (var c = 0; c < cases.Count; c++)
        {
            Array.Sort(times[c]);
            samples[c] = new Samples(times[c][rounds / 2], times[c][0], bytes[c] / ((double)rounds * batch));
        }

        return samples;
    }

    /// <summary>One case's result: median and minimum nanoseconds per call over the rounds, and bytes per call.</summary>
    internal readonly record struct Samples(double MedianNanoseconds, double MinNanoseconds, double BytesPerCall);
}
