using System.Diagnostics;
using System.Globalization;
using Bearer.Auth.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// Refresh rotation on Redis (<c>dotnet Bearer.Auth.Benchmarks.dll redis-rotation [rotations]</c>, redis-server on
/// PATH): the rotations go through <see cref="BearerJwtRefreshTokens"/> on one connection, first one at a time (the
/// latency of one rotation, p50/p99), then 64 sessions at once (throughput). Round trips are counted on the server
/// (<c>INFO commandstats</c>: the client sends one <c>EVALSHA</c> per round trip; the commands its script runs inside
/// the server are counted there too, and listed apart), not assumed.
/// </summary>
public static class RedisRotationBenchmarks
{
    private const string Client = "bench-client";
    private const int Concurrency = 64;

    public static void Run(int rotations) => RunAsync(rotations).GetAwaiter().GetResult();

    private static async Task RunAsync(int rotations)
    {
        using var server = BenchRedisServer.Start();
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.Configuration);

        // A second connection, allowed INFO, only to read the server's command counts.
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true");
        var store = new RedisRefreshTokenStore(multiplexer, "bench:");
        var tokens = new BearerJwtRefreshTokens(store, Options.Create(new BearerJwtRefreshTokenOptions()));
        Console.WriteLine($"redis-rotation: {rotations} rotations, redis-server {await ServerVersionAsync(admin)} on 127.0.0.1 (no persistence), {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");

        // Warm-up: scripts loaded, connection and JIT warm.
        var token = (await tokens.StartSessionAsync("warm", Client)).RefreshToken!;
        for (var i = 0; i < 200; i++)
        {
            token = await RotateAsync(tokens, token);
        }

        // One at a time: every rotation waits for the one before.
        var before = await CommandsAsync(admin);
        var latencies = new double[rotations];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < rotations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            token = await RotateAsync(tokens, token);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        total.Stop();
        var after = await CommandsAsync(admin);
        Array.Sort(latencies);
        Console.WriteLine();
        Console.WriteLine("| case | rotations | rotations/s | p50 µs | p99 µs | round trips (EVALSHA) per rotation | commands the script ran per rotation |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| one at a time | {rotations} | {rotations / total.Elapsed.TotalSeconds:F0} | {latencies[rotations / 2]:F0} | {latencies[(int)(rotations * 0.99)]:F0} | {Describe(before, after, rotations)} |"));

        // 64 sessions at once on the same connection (the multiplexer pipelines them).
        var chains = new string[Concurrency];
        for (var c = 0; c < Concurrency; c++)
        {
            chains[c] = (await tokens.StartSessionAsync("user-" + c.ToString(CultureInfo.InvariantCulture), Client)).RefreshToken!;
        }

        var perChain = Math.Max(1, rotations / Concurrency);
        before = await CommandsAsync(admin);
        total.Restart();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async c =>
        {
            for (var i = 0; i < perChain; i++)
            {
                chains[c] = await RotateAsync(tokens, chains[c]);
            }
        }));
        total.Stop();
        after = await CommandsAsync(admin);
        var done = perChain * Concurrency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Concurrency} sessions at once | {done} | {done / total.Elapsed.TotalSeconds:F0} | | | {Describe(before, after, done)} |"));
    }

    private static async Task<string> RotateAsync(BearerJwtRefreshTokens tokens, string token)
    {
        var result = await tokens.RefreshAsync(token, Client);
        BenchSetup.Check(result.Succeeded, "rotation");
        return result.RefreshToken!;
    }

    /// <summary>The server's count of each command the clients sent (scripts' inner calls are not in it).</summary>
    private static async Task<Dictionary<string, long>> CommandsAsync(ConnectionMultiplexer multiplexer)
    {
        var server = multiplexer.GetServer(multiplexer.GetEndPoints()[0]);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in await server.InfoAsync("commandstats"))
        {
            foreach (var (name, value) in group)
            {
                // cmdstat_evalsha: calls=123,usec=...
                var calls = value.Split(',')[0];
                counts[name.Replace("cmdstat_", "", StringComparison.Ordinal)] = long.Parse(calls["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return counts;
    }

    /// <summary>Round trips per rotation (EVALSHA, the one command a client sends), then the script's inner commands, leaving out the counting's own INFO.</summary>
    private static string Describe(Dictionary<string, long> before, Dictionary<string, long> after, int rotations)
    {
        var roundTrips = 0.0;
        var parts = new List<string>();
        foreach (var (name, count) in after)
        {
            var perRotation = (double)(count - before.GetValueOrDefault(name)) / rotations;
            if (name == "evalsha")
            {
                roundTrips = perRotation;
            }
            else if (perRotation > 0 && name != "info")
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {perRotation:F2}"));
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{roundTrips:F3} | {string.Join(", ", parts)}");
    }

    private static async Task<string> ServerVersionAsync(ConnectionMultiplexer multiplexer)
    {
        var server = multiplexer.GetServer(multiplexer.GetEndPoints()[0]);
        await server.PingAsync();
        return server.Version.ToString();
    }
}
