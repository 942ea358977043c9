using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bearer.Auth;

/// <summary>
/// The health report of remote key sets: per source its key-set age, last success and last error. Healthy when every
/// set is fresh; degraded when a set is served stale (the last fetch failed, or it is older than its refresh
/// interval); unhealthy when a source has no usable keys (never fetched, past the maximum staleness, or the provider
/// publishes an empty set) or its metadata names an issuer it does not accept (a configuration problem that no retry
/// fixes), with the last error as the reason.
/// </summary>
internal static class RemoteKeyHealth
{
    /// <summary>The report of <paramref name="sources"/>; data keys are <c>{index}:{field}</c>.</summary>
    internal static HealthCheckResult Report(IReadOnlyList<RemoteKeySource> sources, RemoteKeySetOptions settings)
    {
        var status = HealthStatus.Healthy;
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i].GetStatus();
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

            var sourceStatus = Evaluate(source, settings);
            if (sourceStatus != HealthStatus.Healthy)
            {
                var problem = sourceStatus != HealthStatus.Unhealthy ? "serving a stale key set."
                    : source.IssuerMismatch ? "the metadata's issuer is not accepted."
                    : source.Age is not null && source.KeyCount == 0 ? "no usable keys: the provider publishes an empty key set."
                    : "no usable keys.";
                problems.Add(source.LastError is { } error ? $"{source.Source}: {problem} {error}" : $"{source.Source}: {problem}");
            }

            if (sourceStatus < status)
            {
                status = sourceStatus;
            }
        }

        var description = problems.Count == 0 ? "Remote key sets are fresh." : string.Join(" ", problems);
        return new HealthCheckResult(status, description, exception: null, data);
    }

    /// <summary>
    /// One report for several resolvers: the worst status, every problem, and each report's data under its own
    /// <c>{resolver}/</c> prefix when there is more than one.
    /// </summary>
    internal static HealthCheckResult Combine(IReadOnlyList<HealthCheckResult> reports)
    {
        if (reports.Count == 0)
        {
            return HealthCheckResult.Healthy("No remote key sets.");
        }

        if (reports.Count == 1)
        {
            return reports[0];
        }

        var status = HealthStatus.Healthy;
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var descriptions = new List<string>();
        for (var i = 0; i < reports.Count; i++)
        {
            var report = reports[i];
            status = report.Status < status ? report.Status : status;
            if (report.Status != HealthStatus.Healthy && report.Description is { } description)
            {
                descriptions.Add(description);
            }

            foreach (var (key, value) in report.Data)
            {
                data[$"{i}/{key}"] = value;
            }
        }

        return new HealthCheckResult(
            status, descriptions.Count == 0 ? "Remote key sets are fresh." : string.Join(" ", descriptions), exception: null, data);
    }

    internal static HealthStatus Evaluate(RemoteKeySourceStatus source, RemoteKeySetOptions settings)
    {
        if (source.Age is not { } age || age > settings.MaximumStaleness || source.IssuerMismatch || source.KeyCount == 0)
        {
            return HealthStatus.Unhealthy;
        }

        // A refresh that is due may still be in flight: it has up to the fetch timeout before the set counts as stale.
        return source.ConsecutiveFailures > 0 || age > source.RefreshInterval + settings.FetchTimeout ? HealthStatus.Degraded : HealthStatus.Healthy;
    }
}
