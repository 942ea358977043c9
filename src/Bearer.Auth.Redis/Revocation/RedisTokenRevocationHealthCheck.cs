using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bearer.Auth.Redis;

/// <summary>
/// The health of the Redis revocation store: healthy while Redis confirms the view on time; degraded while the
/// connection is down or a confirmation is late but the view is still trusted; unhealthy once it is not (requests get
/// 503, or are checked against a stale view when failing open). Data: connection, view age, version, epoch, writes in
/// flight, entries.
/// </summary>
internal sealed class RedisTokenRevocationHealthCheck : IHealthCheck
{
    private readonly RedisTokenRevocationStore _store;

    internal RedisTokenRevocationHealthCheck(RedisTokenRevocationStore store)
    {
        _store = store;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var age = _store.ViewAge;
        var connected = _store.IsConnected;
        var data = new Dictionary<string, object>
        {
            ["connected"] = connected,
            ["view_age_ms"] = age is { } a ? (long)a.TotalMilliseconds : -1L,
            ["version"] = _store.Version,
            ["epoch"] = _store.Epoch,
            ["in_flight_writes"] = _store.InFlightWrites,
            ["entries"] = _store.ViewCount,
            ["fail_open"] = _store.Options.FailOpen,
        };

        HealthCheckResult result;
        if (!_store.IsTrusted)
        {
            var description = age is null
                ? "Redis has not yet confirmed the revocation view: requests are refused with 503 revocation_unavailable."
                : $"Redis has not confirmed the revocation view for {age.Value.TotalSeconds:0.0} s (bound {_store.Options.UnavailableAfter.TotalSeconds:0.0} s): "
                    + (_store.Options.FailOpen ? "checks answer from a stale view (FailOpen)." : "requests are refused with 503 revocation_unavailable.");
            result = new HealthCheckResult(context.Registration.FailureStatus, description, data: data);
        }
        else if (!connected || age > _store.Options.HeartbeatInterval * 3)
        {
            result = HealthCheckResult.Degraded(
                connected ? "The revocation view's confirmation by Redis is late." : "Redis is disconnected; the revocation view is still within its bound.",
                data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy("Redis confirms the revocation view.", data);
        }

        return Task.FromResult(result);
    }
}
