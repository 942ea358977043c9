using System.Collections.Concurrent;
using System.Diagnostics;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// Records the stopped spans of the <c>Bearer.Auth</c> activity source while alive. Activity listeners are
/// process-wide, so it sees the spans of every test running meanwhile: read them through <see cref="InTrace"/> with the
/// trace of an activity the test started itself.
/// </summary>
internal sealed class ActivityRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    internal ActivityRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == BearerJwtDefaults.TelemetryName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The stopped spans of the trace <paramref name="traceId"/>, in the order they stopped.</summary>
    internal IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => [.. _stopped.Where(a => a.TraceId == traceId)];

    /// <summary>A span's tags as <c>name=value</c>, sorted by name and joined by <c>", "</c>, to pin the exact set.</summary>
    internal static string TagsOf(Activity activity) =>
        string.Join(", ", activity.TagObjects.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));

    /// <summary>Starts an activity of no source (so no listener is needed) whose trace identifies the test's spans.</summary>
    internal static Activity StartTestTrace() => new Activity("Bearer.Auth.Tests").SetIdFormat(ActivityIdFormat.W3C).Start();

    public void Dispose() => _listener.Dispose();
}
