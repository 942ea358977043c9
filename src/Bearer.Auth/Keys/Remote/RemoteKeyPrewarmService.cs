using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Keys.Remote;

/// <summary>
/// Fetches a scheme's remote key sets at start-up (bounded by <see cref="RemoteKeySetOptions.RefreshWaitTimeout"/>,
/// never failing start-up) so the first request does not wait, and stops background refreshes at shutdown.
/// </summary>
internal sealed class RemoteKeyPrewarmService : IHostedService
{
    private readonly IOptionsMonitor<BearerJwtOptions> _options;
    private readonly string _scheme;

    internal RemoteKeyPrewarmService(IOptionsMonitor<BearerJwtOptions> options, string scheme)
    {
        _options = options;
        _scheme = scheme;
    }

    public Task StartAsync(CancellationToken cancellationToken) =>
        _options.Get(_scheme).KeyResolver is RemoteSigningKeyResolver { PrewarmOnStartup: true } resolver
            ? resolver.PrewarmAsync(cancellationToken)
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_options.Get(_scheme).KeyResolver is RemoteSigningKeyResolver resolver)
        {
            resolver.Dispose();
        }

        return Task.CompletedTask;
    }
}
