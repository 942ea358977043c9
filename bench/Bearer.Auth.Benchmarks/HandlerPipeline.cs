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

    internal static void Run(int rounds, BenchTokens tokens, IReadOnlyList<(string Name, IHost Host)> hosts, TimeSpan warmUp)
    {
        var authorization = "Bearer " + tokens.Token;
        var cases = new (string Name, Func<bool> Authenticate)[hosts.Count];
        for (var h = 0; h < hosts.Count; h++)
        {
            var scopes = hosts[h].Host.Services.GetRequiredService<IServiceScopeFactory>();
            cases[h] = (hosts[h].Name, () => Authenticate(scopes, authorization));
        }

        PairedSampler.WarmUp(cases, warmUp);
        var samples = PairedSampler.Sample(cases, rounds, Batch, GC.GetAllocatedBytesForCurrentThread);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"handler only (in process, no TestServer: scope + HttpContext + AuthenticateAsync): {rounds} rounds x {Batch} calls per case"));
        Console.WriteLine();
        Console.WriteLine("| handler | median ns/call | min ns/call | B/call | above the floor (median ns / B) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        var floor = samples[^1];
        for (var c = 0; c < cases.Length; c++)
        {
            var (median, min, bytesPerCall) = samples[c];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {cases[c].Name} | {median:N0} | {min:N0} | {bytesPerCall:N0} | {median - floor.MedianNanoseconds:N0} / {bytesPerCall - floor.BytesPerCall:N0} |"));
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
