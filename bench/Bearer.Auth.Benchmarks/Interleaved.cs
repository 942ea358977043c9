using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// Paired measurement for a loaded machine (<see cref="PairedSampler"/>): <c>dotnet Bearer.Auth.Benchmarks.dll
/// interleaved [rounds]</c>. Bytes are per call, from <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
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
        var ours = new BearerJwtValidator(BenchSetup.OurSettings(tokens));
        var mapper = new JwtClaimsMapper();
        var cached = new BearerJwtValidator(BenchSetup.OurSettings(tokens, cacheSize: 1024));
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
        PairedSampler.WarmUp(cases, TimeSpan.FromMilliseconds(1500));
        var samples = PairedSampler.Sample(cases, rounds, batch, GC.GetAllocatedBytesForCurrentThread);

        var floorMedian = samples[0].MedianNanoseconds;
        for (var c = 0; c < cases.Length; c++)
        {
            var (median, min, bytesPerCall) = samples[c];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {algorithm} | {cases[c].Name} | {median:N0} | {min:N0} | {median / floorMedian:F2} | {bytesPerCall:N0} |"));
        }
    }
}
