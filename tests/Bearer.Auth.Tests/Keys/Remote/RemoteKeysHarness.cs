using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>
/// A scheme built the way the application builds it (DI, configure, post-configure, validation) with a fake clock,
/// exposing its validator, its remote resolver and its health check.
/// </summary>
internal sealed class RemoteKeysHarness : IAsyncDisposable
{
    internal const string Scheme = "Bearer";

    private RemoteKeysHarness(ServiceProvider services, FakeTimeProvider time, BearerJwtOptions options)
    {
        Services = services;
        Time = time;
        Options = options;
        Resolver = options.OwnedKeySources!;
    }

    internal ServiceProvider Services { get; }

    /// <summary>Every log line of every harness (event name and message); filter by a value unique to the test.</summary>
    internal static System.Collections.Concurrent.ConcurrentQueue<(string Event, string Message)> Logs { get; } = new();

    internal FakeTimeProvider Time { get; }

    internal BearerJwtOptions Options { get; }

    internal RemoteKeyResolver Resolver { get; }

    internal DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Builds the scheme; throws <see cref="OptionsValidationException"/> when the options are refused.</summary>
    internal static RemoteKeysHarness Create(
        Action<BearerJwtOptions>? configure = null, Dictionary<string, string?>? configuration = null, Action<IServiceCollection>? addServices = null)
    {
        var services = BuildServices(configure, configuration, out var time, addServices);
        try
        {
            return new RemoteKeysHarness(services, time, services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get(Scheme));
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
        using var services = BuildServices(configure, configuration, out _);
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
        Action<BearerJwtOptions>? configure, Dictionary<string, string?>? configuration, out FakeTimeProvider time, Action<IServiceCollection>? addServices = null)
    {
        time = new FakeTimeProvider(ValidatorFixture.Now);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration ?? []).Build());
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.AddProvider(new CapturingLoggerProvider(Logs)));
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

    internal Task PrewarmAsync() => Resolver.WarmUpAsync(TestContext.Current.CancellationToken);

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

/// <summary>Collects log lines (event name and formatted message) for assertions.</summary>
internal sealed class CapturingLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<(string Event, string Message)> lines) : Microsoft.Extensions.Logging.ILoggerProvider
{
    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(lines);

    public void Dispose()
    {
    }

    private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<(string Event, string Message)> lines) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((eventId.Name ?? string.Empty, formatter(state, exception)));
    }
}
