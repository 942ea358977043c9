using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bearer.Auth.Benchmarks;

/// <summary>Where the HS256 time goes, step by step (<c>dotnet Bearer.Auth.Benchmarks.dll parts</c>), paired like <see cref="Interleaved"/>.</summary>
public static class Parts
{
    private static bool Confirmed(ValueTask<TokenFailureReason> pending) => pending.IsCompletedSuccessfully && pending.Result == TokenFailureReason.None;

    private static bool Resolved(ValueTask<KeyResolution> pending) => pending.IsCompletedSuccessfully && pending.Result.Keys.Count == 1;

    public static void Run()
    {
        using var tokens = BenchTokens.Create("HS256");
        var token = tokens.Token;
        var settings = BenchSetup.OurSettings(tokens);
        var known = new KnownClaimValues(settings.ValidIssuers, settings.ValidAudiences);
        var validator = new BearerJwtValidator(settings);
        var resolver = settings.KeyResolver;
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = token.LastIndexOf('.');
        var header = StrictBase64Url.DecodeToArray(token.AsSpan(0, firstDot))!;
        var payload = StrictBase64Url.DecodeToArray(token.AsSpan(firstDot + 1, secondDot - firstDot - 1))!;
        var signingInput = Encoding.ASCII.GetBytes(token[..secondDot]);
        var signature = StrictBase64Url.DecodeToArray(token.AsSpan(secondDot + 1))!;
        JwsHeaderReader.Read(header, out var parsedHeader);
        var jwsHeader = parsedHeader.ToJwsHeader();
        var key = tokens.OurKey;
        var cases = new (string Name, Func<bool> Call)[]
        {
            ("whole validator", () => BenchSetup.Wait(validator.ValidateAsync(token)).Succeeded),
            ("HMAC verify (pooled)", () => key.Verify(signingInput, signature)),
            ("decode header", () => StrictBase64Url.TryDecodeScanned(token.AsSpan(0, firstDot), new byte[header.Length], out _)),
            ("decode payload", () => StrictBase64Url.TryDecodeScanned(token.AsSpan(firstDot + 1, secondDot - firstDot - 1), new byte[payload.Length], out _)),
            ("read header JSON", () => JwsHeaderReader.Read(header, out _) == TokenFailureReason.None),
            ("read claims JSON", () => JwtClaimsReader.Read(payload, known, out _) == TokenFailureReason.None),
            ("resolve key", () => Resolved(resolver.ResolveAsync(jwsHeader, BenchTokens.Issuer, default))),
            ("ASCII signing input", () => Encoding.ASCII.GetBytes(token.AsSpan(0, secondDot), new byte[secondDot]) > 0),
            ("char scan + dots", () => !token.AsSpan().ContainsAnyExcept(StrictBase64Url.Alphabet) || token.AsSpan().Count('.') == 2),
            ("clock", () => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() > 0),
        };
        var times = new double[cases.Length][];
        for (var c = 0; c < cases.Length; c++)
        {
            times[c] = new double[3000];
            var warmUp = Stopwatch.StartNew();
            while (warmUp.ElapsedMilliseconds < 700)
            {
                cases[c].Call();
            }
        }

        for (var round = 0; round < 3000; round++)
        {
            for (var c = 0; c < cases.Length; c++)
            {
                var call = cases[c].Call;
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < 20; i++)
                {
                    call();
                }

                times[c][round] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / 20;
            }
        }

        for (var c = 0; c < cases.Length; c++)
        {
            Array.Sort(times[c]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {cases[c].Name} | {times[c][1500]:N0} |"));
        }

        RunRepeatTokenHit(tokens);
    }

    /// <summary>Where a repeat-token cache hit goes: every step the validator still takes for a token it has seen.</summary>
    private static void RunRepeatTokenHit(BenchTokens tokens)
    {
        var token = tokens.Token;
        var settings = BenchSetup.OurSettings(tokens, cacheSize: 1024);
        var validator = new BearerJwtValidator(settings);
        for (var i = 0; i < 3; i++)
        {
            BenchSetup.Check(BenchSetup.Wait(validator.ValidateAsync(token)).Succeeded, "cache admission");
        }

        var cache = validator.RepeatTokens!;
        BenchSetup.Check(cache.TryGet(token, out var entry), "cache hit");
        var claims = new ClaimsValidator(settings);
        var verifier = new JwsVerifier(settings, claims, headers: null);
        var now = ClaimsValidator.NowInSeconds(TimeProvider.System);

        // What the shared framework's cache would cost for the same lookup (the reason the cache is hand-written).
        using var memoryCache = new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions());
        Microsoft.Extensions.Caching.Memory.CacheExtensions.Set(memoryCache, token, entry.Token, DateTimeOffset.UtcNow.AddHours(1));
        var cases = new (string Name, Func<bool> Call)[]
        {
            ("whole cached validation", () => BenchSetup.Wait(validator.ValidateAsync(token)).Succeeded),
            ("cache lookup", () => cache.TryGet(token, out _)),
            ("MemoryCache lookup (for comparison)", () => memoryCache.TryGetValue(token, out _)),
            ("key confirmation", () => Confirmed(verifier.ConfirmKeyAsync(entry.Token, default))),
            ("claim rules", () => claims.Validate(entry.Token, now) == TokenFailureReason.None),
            ("clock", () => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() > 0),
        };
        PairedSampler.WarmUp(cases, TimeSpan.FromMilliseconds(700));
        var samples = PairedSampler.Sample(cases, 3000, 40, GC.GetAllocatedBytesForCurrentThread);
        Console.WriteLine();
        Console.WriteLine("| repeat-token hit step | median ns |");
        Console.WriteLine("| --- | ---: |");
        for (var c = 0; c < cases.Length; c++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {cases[c].Name} | {samples[c].MedianNanoseconds:N0} |"));
        }
    }
}
