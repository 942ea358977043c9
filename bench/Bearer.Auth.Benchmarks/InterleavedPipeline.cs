using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// <see cref="PipelineBenchmarks"/> measured the paired way (<c>dotnet Bearer.Auth.Benchmarks.dll pipeline [rounds]</c>):
/// the hosts (ours, ours with the repeat-token cache, JwtBearer, and the do-nothing <see cref="PipelineFloorHandler"/>)
/// run side by side and every round sends a small batch of each request kind to each host in rotating order.
/// TestServer requests hop between thread-pool threads, so on a loaded 2-core machine separate runs differ by several
/// times; pairing keeps the differences (the auth overhead) comparable. Bytes are process-wide per request.
/// </summary>
public static class InterleavedPipeline
{
    public static void Run(int rounds, bool handlersOnly = false)
    {
        using var tokens = BenchTokens.Create("HS256");
        var authorization = new AuthenticationHeaderValue("Bearer", tokens.Token);
        // The first six rows and the two overhead lines keep their historical order and wording (RESULTS.md quotes
        // them); the cached and floor hosts come after.
        string[] handlers = [PipelineBenchmarks.Ours, PipelineBenchmarks.JwtBearer, PipelineBenchmarks.OursCached, PipelineBenchmarks.Floor];
        var hosts = new IHost[handlers.Length];
        var clients = new HttpClient[handlers.Length];
        var cases = new List<(string Name, HttpClient Client, string Path, AuthenticationHeaderValue? Authorization)>();
        for (var h = 0; h < handlers.Length; h++)
        {
            hosts[h] = PipelineBenchmarks.BuildHost(handlers[h], tokens);
            hosts[h].Start();
            clients[h] = hosts[h].GetTestClient();
            cases.Add((handlers[h] + " Anonymous", clients[h], "/anonymous", null));
            cases.Add((handlers[h] + " Protected", clients[h], "/api/me", authorization));
            cases.Add((handlers[h] + " Admin", clients[h], "/api/admin", authorization));
        }

        try
        {
            if (!handlersOnly)
            {
                Run(rounds, [.. cases], PipelineBenchmarks.RepeatTokens(hosts[2]));
            }

            // Alone, the handlers have not been warmed by the TestServer rounds: give tiered compilation time to settle.
            HandlerPipeline.Run(
                rounds, tokens, [(handlers[0], hosts[0]), (handlers[2], hosts[2]), (handlers[1], hosts[1]), (handlers[3], hosts[3])],
                handlersOnly ? TimeSpan.FromSeconds(3) : TimeSpan.FromMilliseconds(500));
        }
        finally
        {
            for (var h = 0; h < handlers.Length; h++)
            {
                clients[h].Dispose();
                hosts[h].StopAsync().GetAwaiter().GetResult();
                hosts[h].Dispose();
            }
        }
    }

    private static void Run(int rounds, (string Name, HttpClient Client, string Path, AuthenticationHeaderValue? Authorization)[] requests, Func<int> cachedTokens)
    {
        const int Batch = 8;
        var cases = new (string Name, Func<bool> Call)[requests.Length];
        for (var c = 0; c < requests.Length; c++)
        {
            var (name, client, path, authorization) = requests[c];
            cases[c] = (name, () => Send(client, path, authorization) == 200);
        }

        PairedSampler.WarmUp(cases, TimeSpan.FromMilliseconds(1500));

        // The cached rows must measure hits: the warm-up presented the token many times, so it was admitted.
        BenchSetup.Check(cachedTokens() == 1, "repeat-token cache");

        // TestServer requests hop threads: count the whole process's allocations.
        var samples = PairedSampler.Sample(cases, rounds, Batch, () => GC.GetTotalAllocatedBytes(precise: false));

        Console.WriteLine($"pipeline (TestServer, HS256): {rounds} rounds x {Batch} requests per case, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine("| case | median µs/request | min µs/request | B/request (process-wide) |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        var medians = new double[cases.Length];
        var perRequest = new double[cases.Length];
        for (var c = 0; c < cases.Length; c++)
        {
            medians[c] = samples[c].MedianNanoseconds / 1000;
            perRequest[c] = samples[c].BytesPerCall;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {cases[c].Name} | {medians[c]:F1} | {samples[c].MinNanoseconds / 1000:F1} | {perRequest[c]:N0} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"auth overhead (Protected - Anonymous): Bearer.Auth {medians[1] - medians[0]:F1} µs / {perRequest[1] - perRequest[0]:N0} B, JwtBearer {medians[4] - medians[3]:F1} µs / {perRequest[4] - perRequest[3]:N0} B, ratio {(medians[1] - medians[0]) / (medians[4] - medians[3]):F2} (time) / {(perRequest[1] - perRequest[0]) / (perRequest[4] - perRequest[3]):F2} (bytes)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"admin overhead (Admin - Anonymous): Bearer.Auth {medians[2] - medians[0]:F1} µs / {perRequest[2] - perRequest[0]:N0} B, JwtBearer {medians[5] - medians[3]:F1} µs / {perRequest[5] - perRequest[3]:N0} B"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cached overhead (Protected - Anonymous): Bearer.Auth cache {medians[7] - medians[6]:F1} µs / {perRequest[7] - perRequest[6]:N0} B, ratio to JwtBearer {(medians[7] - medians[6]) / (medians[4] - medians[3]):F2} (time) / {(perRequest[7] - perRequest[6]) / (perRequest[4] - perRequest[3]):F2} (bytes); admin {medians[8] - medians[6]:F1} µs / {perRequest[8] - perRequest[6]:N0} B"));
        var floor = medians[10] - medians[9];
        var floorBytes = perRequest[10] - perRequest[9];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"floor overhead (Protected - Anonymous, any handler): {floor:F1} µs / {floorBytes:N0} B; admin {medians[11] - medians[9]:F1} µs / {perRequest[11] - perRequest[9]:N0} B"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"above the floor: Bearer.Auth {medians[1] - medians[0] - floor:F1} µs / {perRequest[1] - perRequest[0] - floorBytes:N0} B, Bearer.Auth cache {medians[7] - medians[6] - floor:F1} µs / {perRequest[7] - perRequest[6] - floorBytes:N0} B, JwtBearer {medians[4] - medians[3] - floor:F1} µs / {perRequest[4] - perRequest[3] - floorBytes:N0} B"));
    }

    private static int Send(HttpClient client, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        using var response = client.SendAsync(request).GetAwaiter().GetResult();
        return (int)response.StatusCode;
    }
}
