using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// <see cref="PipelineBenchmarks"/> measured the paired way (<c>dotnet Bearer.Auth.Benchmarks.dll pipeline [rounds]</c>):
/// both hosts run side by side and every round sends a small batch of each request kind to each host in rotating
/// order. TestServer requests hop between thread-pool threads, so on a loaded 2-core machine separate runs differ by
/// several times; pairing keeps the differences (the auth overhead) comparable. Bytes are process-wide per request.
/// </summary>
public static class InterleavedPipeline
{
    public static void Run(int rounds)
    {
        using var tokens = BenchTokens.Create("HS256");
        var authorization = new AuthenticationHeaderValue("Bearer", tokens.Token);
        using var ours = PipelineBenchmarks.BuildHost("Bearer.Auth", tokens);
        using var microsoft = PipelineBenchmarks.BuildHost("JwtBearer", tokens);
        ours.Start();
        microsoft.Start();
        using var ourClient = ours.GetTestClient();
        using var microsoftClient = microsoft.GetTestClient();
        var cases = new (string Name, HttpClient Client, string Path, AuthenticationHeaderValue? Authorization)[]
        {
            ("Bearer.Auth Anonymous", ourClient, "/anonymous", null),
            ("Bearer.Auth Protected", ourClient, "/api/me", authorization),
            ("Bearer.Auth Admin", ourClient, "/api/admin", authorization),
            ("JwtBearer Anonymous", microsoftClient, "/anonymous", null),
            ("JwtBearer Protected", microsoftClient, "/api/me", authorization),
            ("JwtBearer Admin", microsoftClient, "/api/admin", authorization),
        };
        const int Batch = 8;
        var times = new double[cases.Length][];
        var bytes = new long[cases.Length];
        for (var c = 0; c < cases.Length; c++)
        {
            times[c] = new double[rounds];
            var warmUp = Stopwatch.StartNew();
            while (warmUp.ElapsedMilliseconds < 1500)
            {
                BenchSetup.Check(Send(cases[c].Client, cases[c].Path, cases[c].Authorization) == 200, cases[c].Name);
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < cases.Length; k++)
            {
                var c = (k + round) % cases.Length;
                var (_, client, path, auth) = cases[c];
                var allocated = GC.GetTotalAllocatedBytes(precise: false);
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < Batch; i++)
                {
                    Send(client, path, auth);
                }

                times[c][round] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Batch / 1000;
                bytes[c] += GC.GetTotalAllocatedBytes(precise: false) - allocated;
            }
        }

        Console.WriteLine($"pipeline (TestServer, HS256): {rounds} rounds x {Batch} requests per case, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine("| case | median µs/request | min µs/request | B/request (process-wide) |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        var medians = new double[cases.Length];
        var perRequest = new double[cases.Length];
        for (var c = 0; c < cases.Length; c++)
        {
            var sorted = (double[])times[c].Clone();
            Array.Sort(sorted);
            medians[c] = sorted[sorted.Length / 2];
            perRequest[c] = bytes[c] / ((double)rounds * Batch);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {cases[c].Name} | {medians[c]:F1} | {sorted[0]:F1} | {perRequest[c]:N0} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"auth overhead (Protected - Anonymous): Bearer.Auth {medians[1] - medians[0]:F1} µs / {perRequest[1] - perRequest[0]:N0} B, JwtBearer {medians[4] - medians[3]:F1} µs / {perRequest[4] - perRequest[3]:N0} B, ratio {(medians[1] - medians[0]) / (medians[4] - medians[3]):F2} (time) / {(perRequest[1] - perRequest[0]) / (perRequest[4] - perRequest[3]):F2} (bytes)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"admin overhead (Admin - Anonymous): Bearer.Auth {medians[2] - medians[0]:F1} µs / {perRequest[2] - perRequest[0]:N0} B, JwtBearer {medians[5] - medians[3]:F1} µs / {perRequest[5] - perRequest[3]:N0} B"));
        ours.StopAsync().GetAwaiter().GetResult();
        microsoft.StopAsync().GetAwaiter().GetResult();
    }

    private static int Send(HttpClient client, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        using var response = client.SendAsync(request).GetAwaiter().GetResult();
        return (int)response.StatusCode;
    }
}
