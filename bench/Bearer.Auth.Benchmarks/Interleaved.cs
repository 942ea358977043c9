using System.Diagnostics;
using System.Globalization;
using Bearer.Auth.Claims;
using Bearer.Auth.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// Paired measurement for a loaded machine: <c>dotnet Bearer.Auth.Benchmarks.dll interleaved [rounds]</c>. Each
/// round times one small batch of every case, in rotating order, so all cases are sampled at nearly the same
/// moments and a change in background load moves them together; the ratios of the per-case medians over all rounds
/// are then far steadier than ratios of separate BenchmarkDotNet runs. Bytes are per call, from
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// </summary>
public static class Interleaved
{
    public static void Run(int rounds)
    {
        Console.WriteLine($"interleaved: {rounds} rounds per algorithm, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine("| alg | case | median ns/op | min ns/op | ratio to floor (medians) | B/op |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var algorithm in new[] { "HS256", "RS256", "PS256", "ES256" })
        {
            RunAlgorithm(algorithm, rounds);
        }
    }

    private static void RunAlgorithm(string algorithm, int rounds)
    {
        using var tokens = BenchTokens.Create(algorithm);
        var token = tokens.Token;
        var options = BenchSetup.OurOptions(tokens);
        var ours = new BearerTokenValidator(options);
        var mapper = new JwtClaimsMapper(options.NameClaimType, options.RoleClaimType, options.RoleClaimPaths);
        var cachedOptions = BenchSetup.OurOptions(tokens);
        cachedOptions.RepeatTokenCacheSize = 1024;
        var cached = new BearerTokenValidator(cachedOptions);
        var microsoft = new JsonWebTokenHandler();
        var parameters = BenchSetup.MicrosoftParameters(tokens);

        var cases = new (string Name, Func<bool> Call)[]
        {
            ("Floor", () => tokens.Floor(token)),
            ("Ours", () => BenchSetup.Wait(ours.ValidateAsync(token)).Succeeded),
            ("Microsoft", () => microsoft.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult().IsValid),
            ("Ours_Principal", () =>
            {
                var result = BenchSetup.Wait(ours.ValidateAsync(token));
                return new System.Security.Claims.ClaimsPrincipal(mapper.CreateIdentity(result.Token!, "Bearer")).Identity!.IsAuthenticated;
            }),
            ("Microsoft_Principal", () =>
                new System.Security.Claims.ClaimsPrincipal(microsoft.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult().ClaimsIdentity).Identity!.IsAuthenticated),
            ("Ours_RepeatCached", () => BenchSetup.Wait(cached.ValidateAsync(token)).Succeeded),
        };

        // Aim for batches of roughly 100 µs of the floor.
        var batch = algorithm[0] switch { 'H' => 40, 'E' => 2, _ => 4 };
        var times = new double[cases.Length][];
        var bytes = new long[cases.Length];
        for (var c = 0; c < cases.Length; c++)
        {
            times[c] = new double[rounds];

            // Long enough for tiered compilation to reach its optimized code (and dynamic PGO to settle).
            var warmUp = Stopwatch.StartNew();
            while (warmUp.ElapsedMilliseconds < 1500)
            {
                BenchSetup.Check(cases[c].Call(), cases[c].Name);
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < cases.Length; k++)
            {
                var c = (k + round) % cases.Length;
                var call = cases[c].Call;
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < batch; i++)
                {
                    call();
                }

                var elapsed = Stopwatch.GetElapsedTime(start);
                bytes[c] += GC.GetAllocatedBytesForCurrentThread() - allocated;
                times[c][round] = elapsed.TotalNanoseconds / batch;
            }
        }

        var floorMedian = Median(times[0]);
        for (var c = 0; c < cases.Length; c++)
        {
            var median = Median(times[c]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {algorithm} | {cases[c].Name} | {median:N0} | {Min(times[c]):N0} | {median / floorMedian:F2} | {bytes[c] / ((double)rounds * batch):N0} |"));
        }
    }

    private static double Median(double[] values)
    {
        var copy = (double[])values.Clone();
        Array.Sort(copy);
        return copy[copy.Length / 2];
    }

    private static double Min(double[] values)
    {
        var min = double.MaxValue;
        foreach (var value in values)
        {
            min = Math.Min(min, value);
        }

        return min;
    }
}
