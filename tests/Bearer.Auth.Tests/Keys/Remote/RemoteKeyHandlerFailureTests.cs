using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>
/// A handler the application adds to the named client (a resilience pipeline's open circuit, say) may throw any
/// exception type: the source treats it like any failed fetch instead of failing start-up or the request.
/// </summary>
public sealed class RemoteKeyHandlerFailureTests : IAsyncLifetime
{
    private readonly TestKey _k1 = new("k1");
    private readonly CircuitHandler.State _circuit = new();
    private JwksTestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await JwksTestServer.StartAsync();
        _server.Publish(_k1);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _k1.Dispose();
    }

    [Fact]
    public async Task Exception_of_any_type_from_the_client_keeps_the_last_good_set_and_is_reported_and_retried()
    {
        await using var harness = RemoteKeysHarness.Create(
            o => o.Authority = _server.BaseUrl,
            addServices: services => services
                .AddHttpClient(RemoteKeySetOptions.DefaultHttpClientName)
                .AddHttpMessageHandler(() => new CircuitHandler(_circuit)));
        await harness.WarmUpAsync();
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));

        _circuit.Open = true;
        await harness.AdvanceAsync(harness.Options.RemoteKeys.RefreshInterval);

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
        var report = await harness.HealthAsync();
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains(nameof(CircuitOpenException), (string)Assert.Single(report.Entries).Value.Data["0:lastError"], StringComparison.Ordinal);

        // The retry timer was re-armed: once the circuit closes, the next attempt succeeds.
        var attempts = _circuit.Attempts;
        _circuit.Open = false;
        await harness.AdvanceAsync(harness.Options.RemoteKeys.MaximumRetryDelay);
        Assert.True(_circuit.Attempts > attempts);
        Assert.Equal(HealthStatus.Healthy, (await harness.HealthAsync()).Status);
    }

    [Fact]
    public async Task Exception_of_any_type_on_the_first_fetch_gives_key_source_unavailable_not_an_exception()
    {
        _circuit.Open = true;
        await using var harness = RemoteKeysHarness.Create(
            o => o.Authority = _server.BaseUrl,
            addServices: services => services
                .AddHttpClient(RemoteKeySetOptions.DefaultHttpClientName)
                .AddHttpMessageHandler(() => new CircuitHandler(_circuit)));

        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
    }

    private sealed class CircuitOpenException : Exception
    {
        public CircuitOpenException()
            : base("The circuit is open.")
        {
        }
    }

    private sealed class CircuitHandler(CircuitHandler.State state) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref state.Attempts);
            return state.Open ? throw new CircuitOpenException() : base.SendAsync(request, cancellationToken);
        }

        internal sealed class State
        {
            internal volatile bool Open;
            internal int Attempts;
        }
    }
}
