using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bearer.Auth;

/// <summary>
/// The health check of one scheme's remote keys: whatever its key resolver reports through
/// <see cref="IRemoteKeyResolver"/> (see <see cref="RemoteKeyHealth"/>), healthy when it has no remote keys.
/// </summary>
internal sealed class BearerJwtHealthCheck : IHealthCheck
{
    private readonly IOptionsMonitor<BearerJwtOptions> _options;
    private readonly string _scheme;

    internal BearerJwtHealthCheck(IOptionsMonitor<BearerJwtOptions> options, string scheme)
    {
        _options = options;
        _scheme = scheme;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_options.Get(_scheme).ValidationSettings?.KeyResolver is not IRemoteKeyResolver resolver)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"Scheme '{_scheme}' has no remote key sets."));
        }

        var report = resolver.CheckHealth();
        return Task.FromResult(report.Status == HealthStatus.Unhealthy
            ? new HealthCheckResult(context.Registration.FailureStatus, report.Description, report.Exception, report.Data)
            : report);
    }
}
