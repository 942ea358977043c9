using System.Diagnostics.Metrics;

namespace Bearer.Auth.Redis;

/// <summary>
/// The revocation store's instruments, on Bearer.Auth's meter (<see cref="BearerJwtDefaults.TelemetryName"/>): answers
/// given from an untrusted view because of <see cref="BearerJwtRedisRevocationOptions.FailOpen"/>, resynchronisations
/// by kind, and the age of the view's last confirmation.
/// </summary>
internal sealed class RevocationTelemetry : IDisposable
{
    internal const string FailOpenName = "bearer_auth.revocation.fail_open";
    internal const string ResyncsName = "bearer_auth.revocation.resyncs";
    internal const string ViewAgeName = "bearer_auth.revocation.view_age";
    internal const string ResyncKindTag = "bearer_auth.resync";

    private static readonly string? Version = typeof(RevocationTelemetry).Assembly.GetName().Version?.ToString();

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _failOpen;
    private readonly Counter<long> _resyncs;

    internal RevocationTelemetry(IMeterFactory? meterFactory, Func<double?> viewAgeSeconds)
    {
        // Without a factory the meter is this store's own (not process-wide): the gauge's callback holds the store.
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(BearerJwtDefaults.TelemetryName) { Version = Version })
            ?? new Meter(BearerJwtDefaults.TelemetryName, Version);
        _failOpen = _meter.CreateCounter<long>(
            FailOpenName, "{answer}", "Revocation checks answered from a view Redis had not confirmed within UnavailableAfter, because FailOpen is on.");
        _resyncs = _meter.CreateCounter<long>(
            ResyncsName, "{resync}", "Times the revocation view was rebuilt from Redis (full) or caught up on entries pub/sub had not delivered (catch_up).");
        _meter.CreateObservableGauge<double>(
            ViewAgeName,
            () => viewAgeSeconds() is { } age ? [new Measurement<double>(age)] : Array.Empty<Measurement<double>>(),
            "s",
            "Time since Redis last confirmed the revocation view current; past UnavailableAfter requests get 503 (or fail open).");
    }

    /// <summary>Counts one answer given from an untrusted view.</summary>
    internal void FailOpenAnswer()
    {
        if (_failOpen.Enabled)
        {
            _failOpen.Add(1);
        }
    }

    /// <summary>Counts one resynchronisation, <paramref name="full"/> or a catch-up.</summary>
    internal void Resynced(bool full) => _resyncs.Add(1, new KeyValuePair<string, object?>(ResyncKindTag, full ? "full" : "catch_up"));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
