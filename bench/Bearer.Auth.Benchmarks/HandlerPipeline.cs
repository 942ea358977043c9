using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// The handlers alone, in process and without TestServer: each call creates a request scope and an HttpContext
/// carrying the bearer header, and authenticates through <see cref="IAuthenticationService"/> (what the
/// authentication middleware does). No thread hops, so far steadier than the TestServer rows; the floor handler's
/// row is what any handler pays for the scope, the context, the base class and a fresh principal.
/// </summary>
internal static class HandlerPipeline
{
    private const int Batch = 20;

    internal static void Run(int rounds, BenchTokens tokens, IReadOnlyList<(string Name, IHost Host)> hosts)
    {
        var authorization = "Bearer " + tokens.Token;
        var cases = new (string Name, Func<bool> Authenticate)[hosts.Count];
        for (var h = 0; h < hosts.Count; h++)
        {
            var scopes = hosts[h].Host.Services.GetRequiredService<IServiceScopeFactory>();
            cases[h] = (hosts[h].Name, () => Authenticate(scopes, authorization));
        }

        var times = new double[cases.Length][];
        var bytes = new long[cases.Length];
        for (var c = 0; c < cases.Length; c++)
        {
            times[c] = new double[rounds];
            var warmUp = Stopwatch.StartNew();
            while (warmUp.ElapsedMilliseconds < 500)
            {
                BenchSetup.Check(cases[c].Authenticate(), cases[c].Name + " handler");
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < cases.Length; k++)
            {
                var c = (k + round) % cases.Length;
                var authenticate = cases[c].Authenticate;
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < Batch; i++)
                {
                    authenticate();
                }

                times[c][round] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Batch;
                bytes[c] += GC.GetAllocatedBytesForCurrentThread() - allocated;
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"handler only (in process, no TestServer: scope + HttpContext + AuthenticateAsync): {rounds} rounds x {Batch} calls per case"));
        Console.WriteLine();
        Console.WriteLine("| handler | median ns/call | min ns/call | B/call | above the floor (median ns / B) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        var medians = new double[cases.Length];
        var perCall = new double[cases.Length];
        var floor = cases.Length - 1;
        for (var c = 0; c < cases.Length; c++)
        {
            var sorted = (double[])times[c].Clone();
            Array.Sort(sorted);
            medians[c] = sorted[sorted.Length / 2];
            perCall[c] = bytes[c] / ((double)rounds * Batch);
        }

        for (var c = 0; c < cases.Length; c++)
        {
            var sorted = (double[])times[c].Clone();
            Array.Sort(sorted);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {cases[c].Name} | {medians[c]:N0} | {sorted[0]:N0} | {perCall[c]:N0} | {medians[c] - medians[floor]:N0} / {perCall[c] - perCall[floor]:N0} |"));
        }
    }

    private static bool Authenticate(IServiceScopeFactory scopes, string authorization)
    {
        // A scope per call, as per request: the handler provider is scoped and a handler remembers its result.
        using var scope = scopes.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = authorization;
        var authenticating = scope.ServiceProvider.GetRequiredService<IAuthenticationService>().AuthenticateAsync(context, scheme: null);
        return authenticating.GetAwaiter().GetResult().Succeeded;
    }
}
