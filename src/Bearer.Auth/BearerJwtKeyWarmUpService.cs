using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bearer.Auth;

/// <summary>
/// Fetches a scheme's remote key sets at start-up (bounded by <see cref="RemoteKeySetOptions.RefreshWaitTimeout"/>,
/// never failing start-up) so the first request does not wait, and at shutdown stops the background refreshes of the
/// key sources the scheme created.
/// </summary>
internal sealed class BearerJwtKeyWarmUpService : IHostedService
{
    private readonly IOptionsMonitor<BearerJwtOptions> _options;
    private readonly string _scheme;

    internal BearerJwtKeyWarmUpService(IOptionsMonitor<BearerJwtOptions> options, string scheme)
    {
        _options = options;
        _scheme = scheme;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = _options.Get(_scheme);
        return options.RemoteKeys.PrewarmOnStartup && options.ValidationSettings?.KeyResolver is IRemoteKeyResolver resolver
            ? resolver.WarmUpAsync(cancellationToken)
            : Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _options.Get(_scheme).OwnedKeySources?.Dispose();
        return Task.CompletedTask;
    }
}
