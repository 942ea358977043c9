using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>
/// A scheme built the way the application builds it (DI, configure, post-configure, validation) with a fake clock,
/// exposing its validator, its remote resolver, its health check and its own log.
/// </summary>
internal sealed class RemoteKeysHarness : IAsyncDisposable
{
    internal const string Scheme = "Bearer";

    private RemoteKeysHarness(ServiceProvider services, FakeTimeProvider time, FakeLogCollector logs, BearerJwtOptions options)
    {
        Services = services;
        Time = time;
        Logs = logs;
        Options = options;
        Resolver = options.OwnedKeySources!;
    }

    internal ServiceProvider Services { get; }

    /// <summary>What this harness's scheme logged, and only that.</summary>
    internal FakeLogCollector Logs { get; }

    internal FakeTimeProvider Time { get; }

    internal BearerJwtOptions Options { get; }

    internal RemoteKeyResolver Resolver { get; }

    internal DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Builds the scheme; throws <see cref="OptionsValidationException"/> when the options are refused.</summary>
    internal static RemoteKeysHarness Create(
        Action<BearerJwtOptions>? configure = null, Dictionary<string, string?>? configuration = null, Action<IServiceCollection>? addServices = null)
    {
        var logs = new FakeLogCollector();
        var services = BuildServices(configure, configuration, logs, out var time, addServices);
        try
        {
            return new RemoteKeysHarness(services, time, logs, services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get(Scheme));
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    /// <summary>The options validation failures of a configuration (empty when valid).</summary>
    internal static IReadOnlyList<string> ValidationFailures(Action<BearerJwtOptions>? configure = null, Dictionary<string, string?>? configuration = null)
    {
        using var services = BuildServices(configure, configuration, new FakeLogCollector(), out _);
        try
        {
            var options = services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get(Scheme);
            (options.KeyResolver as IDisposable)?.Dispose();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
    }

    private static ServiceProvider BuildServices(
        Action<BearerJwtOptions>? configure, Dictionary<string, string?>? configuration, FakeLogCollector logs, out FakeTimeProvider time, Action<IServiceCollection>? addServices = null)
    {
        time = new FakeTimeProvider(ValidatorFixture.Now);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration ?? []).Build());
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)));
        services.AddAuthentication(Scheme).AddBearerJwt(Scheme, o =>
        {
            o.ValidAudience = TestJwt.Audience;
            o.RequireHttpsMetadata = false;
            configure?.Invoke(o);
        });
        services.AddHealthChecks().AddBearerJwt(Scheme);
        addServices?.Invoke(services);
        return services.BuildServiceProvider();
    }

    internal async Task<TokenFailureReason> ValidateAsync(string token) =>
        (await Options.Validator!.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure;

    internal ValueTask<Bearer.Auth.KeyResolution> ResolveAsync(string? kid, string issuer) =>
        Resolver.ResolveAsync(new JwsHeader("ES256", kid, "JWT"), issuer, TestContext.Current.CancellationToken);

    internal Task WarmUpAsync() => Resolver.WarmUpAsync(TestContext.Current.CancellationToken);

    /// <summary>Waits for the fetches in flight (e.g. the ones a timer started when time was advanced).</summary>
    internal Task IdleAsync() => Task.WhenAll(Resolver.Sources.Select(s => s.InFlight)).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    /// <summary>Moves the fake clock and waits for the background fetches that became due.</summary>
    internal async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await IdleAsync();
    }

    internal async Task<HealthReport> HealthAsync() =>
        await Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Resolver.Dispose();
        await Services.DisposeAsync();
    }
}
