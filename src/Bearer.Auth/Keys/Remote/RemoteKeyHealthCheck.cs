using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Keys.Remote;

/// <summary>
/// Reports a scheme's remote key sets: per source its key-set age, last success and last error. Healthy when every
/// set is fresh; degraded when a set is served stale (the last fetch failed, or it is older than its refresh
/// interval); unhealthy when a source has no usable keys (never fetched, or past the maximum staleness).
/// </summary>
internal sealed class RemoteKeyHealthCheck : IHealthCheck
{
    private readonly IOptionsMonitor<BearerJwtOptions> _options;
    private readonly string _scheme;

    internal RemoteKeyHealthCheck(IOptionsMonitor<BearerJwtOptions> options, string scheme)
    {
        _options = options;
        _scheme = scheme;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var options = _options.Get(_scheme);
        if (options.KeyResolver is not RemoteSigningKeyResolver resolver)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"Scheme '{_scheme}' has no remote key sets."));
        }

        var status = HealthStatus.Healthy;
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (var i = 0; i < resolver.Sources.Count; i++)
        {
            var source = resolver.Sources[i].GetStatus();
            var prefix = $"{i}:";
            data[prefix + "source"] = source.Source;
            data[prefix + "keyCount"] = source.KeyCount;
            if (source.Issuer is not null)
            {
                data[prefix + "issuer"] = source.Issuer;
            }

            if (source.Age is { } age)
            {
                data[prefix + "ageSeconds"] = Math.Round(age.TotalSeconds);
            }

            if (source.LastSuccess is { } lastSuccess)
            {
                data[prefix + "lastSuccess"] = lastSuccess.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            }

            if (source.LastError is { } lastError)
            {
                data[prefix + "lastError"] = lastError;
            }

            var sourceStatus = Evaluate(source, options.RemoteKeys);
            if (sourceStatus != HealthStatus.Healthy)
            {
                problems.Add(sourceStatus == HealthStatus.Unhealthy
                    ? $"{source.Source}: no usable keys."
                    : $"{source.Source}: serving a stale key set.");
            }

            if (sourceStatus < status)
            {
                status = sourceStatus;
            }
        }

        var description = problems.Count == 0 ? $"Remote key sets of scheme '{_scheme}' are fresh." : string.Join(" ", problems);
        return Task.FromResult(new HealthCheckResult(
            status == HealthStatus.Unhealthy ? context.Registration.FailureStatus : status,
            description,
            exception: null,
            data));
    }

    internal static HealthStatus Evaluate(RemoteKeySourceStatus source, RemoteKeySetOptions settings)
    {
        if (source.Age is not { } age || age > settings.MaximumStaleness)
        {
            return HealthStatus.Unhealthy;
        }

        // A refresh that is due may still be in flight: it has up to the fetch timeout before the set counts as stale.
        return source.ConsecutiveFailures > 0 || age > source.RefreshInterval + settings.FetchTimeout ? HealthStatus.Degraded : HealthStatus.Healthy;
    }
}
