using System.Diagnostics;
using System.Globalization;
using Bearer.Auth.Redis;
using StackExchange.Redis;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// How long a revocation takes to reach another instance (<c>dotnet Bearer.Auth.Benchmarks.dll redis-propagation
/// [revocations]</c>, redis-server on PATH): two <see cref="RedisTokenRevocationStore"/>s, each on its own connection
/// (two application instances), one Redis. For each of the revocations: the time from the call on the first instance
/// until the second refuses the token (its check spins on its local view, as requests would find it), p50/p99/max.
/// The first instance's own answer (its write round trip) is reported beside it.
/// </summary>
public static class RedisPropagationBenchmarks
{
    public static void Run(int revocations) => RunAsync(revocations).GetAwaiter().GetResult();

    private static async Task RunAsync(int revocations)
    {
        using var server = BenchRedisServer.Start();
        await using var writerConnection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var readerConnection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var writer = new RedisTokenRevocationStore(writerConnection, "bench:");
        await using var reader = new RedisTokenRevocationStore(readerConnection, "bench:");
        BenchSetup.Check(await writer.WaitForFirstConfirmationAsync(TimeSpan.FromSeconds(30), default), "writer view confirmed");
        BenchSetup.Check(await reader.WaitForFirstConfirmationAsync(TimeSpan.FromSeconds(30), default), "reader view confirmed");
        Console.WriteLine($"redis-propagation: {revocations} revocations, two instances (two connections) on one redis-server (127.0.0.1, no persistence), {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");

        using var tokens = BenchTokens.Create("HS256");
        var validator = new BearerJwtValidator(BenchSetup.OurSettings(tokens));
        var validated = new ValidatedToken[revocations + 100];
        for (var i = 0; i < validated.Length; i++)
        {
            validated[i] = BenchSetup.Wait(validator.ValidateAsync(tokens.Mint("jti-" + i.ToString(CultureInfo.InvariantCulture)))).Token!;
        }

        var until = DateTimeOffset.UtcNow.AddHours(1);

        // Warm-up: scripts loaded, subscriptions live, JIT warm.
        for (var i = revocations; i < validated.Length; i++)
        {
            await MeasureAsync(writer, reader, validated[i], until);
        }

        var propagation = new double[revocations];
        var write = new double[revocations];
        for (var i = 0; i < revocations; i++)
        {
            (write[i], propagation[i]) = await MeasureAsync(writer, reader, validated[i], until);
        }

        Array.Sort(propagation);
        Array.Sort(write);
        Console.WriteLine();
        Console.WriteLine("| measured | p50 ms | p99 ms | max ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine(Row("revoke call on instance A returns (its write round trip)", write));
        Console.WriteLine(Row("revoke call on A → instance B refuses the token", propagation));
    }

    private static async Task<(double Write, double Propagation)> MeasureAsync(RedisTokenRevocationStore writer, RedisTokenRevocationStore reader, ValidatedToken token, DateTimeOffset until)
    {
        var started = Stopwatch.GetTimestamp();
        var pendingWrite = writer.RevokeTokenAsync(token.TokenId!, until).AsTask();
        double? writeMs = null;
        while (true)
        {
            if (writeMs is null && pendingWrite.IsCompleted)
            {
                await pendingWrite;
                writeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            var answer = reader.CheckAsync(token, default);
            if (answer.IsCompletedSuccessfully && answer.Result == TokenRevocationStatus.Revoked)
            {
                var propagated = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                await pendingWrite;
                return (writeMs ?? Stopwatch.GetElapsedTime(started).TotalMilliseconds, propagated);
            }

            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"Instance B did not refuse {token.TokenId} within 10 s.");
            }

            // Spin briefly, then let the connection's threads run (2 cores: a pure spin would starve them).
            Thread.Yield();
        }
    }

    private static string Row(string what, double[] sorted) => string.Create(CultureInfo.InvariantCulture,
        $"| {what} | {sorted[sorted.Length / 2]:F2} | {sorted[(int)(sorted.Length * 0.99)]:F2} | {sorted[^1]:F2} |");
}
