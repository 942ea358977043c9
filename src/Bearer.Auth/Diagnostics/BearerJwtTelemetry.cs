using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bearer.Auth;

/// <summary>
/// The library's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named <c>Bearer.Auth</c>
/// (<see cref="BearerJwtDefaults.TelemetryName"/>): an authentication counter tagged with the result and reason code,
/// a validation-duration histogram, and spans for validation and key fetches. With no listener attached each call is
/// one flag test: no clock reading, no tags, no allocation.
/// </summary>
internal sealed class BearerJwtTelemetry
{
    internal const string AuthenticationsName = "bearer_auth.authentications";
    internal const string ValidationDurationName = "bearer_auth.validation.duration";
    internal const string ValidateActivityName = "Bearer.Auth.ValidateToken";
    internal const string FetchKeysActivityName = "Bearer.Auth.FetchKeys";

    internal const string SchemeTag = "bearer_auth.scheme";
    internal const string ResultTag = "bearer_auth.result";
    internal const string ReasonTag = "bearer_auth.reason";
    internal const string TokenSourceTag = "bearer_auth.token_source";
    internal const string AlgorithmTag = "bearer_auth.alg";
    internal const string KeySourceTag = "bearer_auth.key_source";

    private static readonly string? Version = typeof(BearerJwtTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>The spans' source; process-wide, as activity sources are (listeners filter by name).</summary>
    internal static readonly ActivitySource ActivitySource = new(BearerJwtDefaults.TelemetryName, Version);

    /// <summary>The instruments of a process-wide meter, for validators created without an <see cref="IMeterFactory"/>.</summary>
    private static readonly Lazy<BearerJwtTelemetry> Shared = new(() => new BearerJwtTelemetry(new Meter(BearerJwtDefaults.TelemetryName, Version)));

    private readonly Counter<long> _authentications;
    private readonly Histogram<double> _validationDuration;

    private BearerJwtTelemetry(Meter meter)
    {
        _authentications = meter.CreateCounter<long>(
            AuthenticationsName, "{authentication}", "Requests the bearer handler authenticated, by result and reason code.");
        _validationDuration = meter.CreateHistogram<double>(
            ValidationDurationName, "s", "Time to validate one token, by result and reason code.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.000_001, 0.000_005, 0.000_01, 0.000_05, 0.000_1, 0.000_5, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] });
    }

    /// <summary>The instruments of <paramref name="meterFactory"/>'s <c>Bearer.Auth</c> meter, or the process-wide ones.</summary>
    internal static BearerJwtTelemetry Create(IMeterFactory? meterFactory) =>
        meterFactory is null ? Shared.Value : new BearerJwtTelemetry(meterFactory.Create(new MeterOptions(BearerJwtDefaults.TelemetryName) { Version = Version }));

    /// <summary>Starts timing (and, when listened to, a span for) one validation; pass the result to <see cref="StopValidation"/>.</summary>
    internal ValidationTiming StartValidation(in TokenValidationContext context)
    {
        var activity = ActivitySource.HasListeners() ? ActivitySource.StartActivity(ValidateActivityName) : null;
        activity?.SetTag(TokenSourceTag, TagOf(context.Source));
        return new ValidationTiming(activity, _validationDuration.Enabled ? Stopwatch.GetTimestamp() : 0);
    }

    /// <summary>
    /// Records the end of a validation: its <paramref name="outcome"/> (<see cref="TokenFailureReason.None"/> when
    /// valid), or <see langword="null"/> when a key resolver or revocation check threw.
    /// </summary>
    internal void StopValidation(in ValidationTiming timing, TokenFailureReason? outcome, ValidatedToken? token)
    {
        if (timing.StartedAt != 0)
        {
            _validationDuration.Record(Stopwatch.GetElapsedTime(timing.StartedAt).TotalSeconds, ResultTags(outcome));
        }

        if (timing.Activity is { } activity)
        {
            switch (outcome)
            {
                case null:
                    activity.SetTag(ResultTag, "error");
                    activity.SetStatus(ActivityStatusCode.Error);
                    break;
                case TokenFailureReason.None:
                    activity.SetTag(ResultTag, "success");
                    activity.SetTag(AlgorithmTag, token?.Header.Algorithm);
                    break;
                default:
                    activity.SetTag(ResultTag, "failure");
                    activity.SetTag(ReasonTag, outcome.Value.ToCode());
                    break;
            }

            activity.Dispose();
        }
    }

    /// <summary>Counts one authentication: <see cref="TokenFailureReason.None"/> a success, <see cref="TokenFailureReason.TokenMissing"/> no token.</summary>
    internal void RecordAuthentication(string scheme, TokenFailureReason outcome)
    {
        if (_authentications.Enabled)
        {
            var tags = ResultTags(outcome);
            tags.Add(SchemeTag, scheme);
            _authentications.Add(1, tags);
        }
    }

    /// <summary>Starts a span for one key-set fetch, when listened to.</summary>
    internal static Activity? StartKeyFetch(string source)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        var activity = ActivitySource.StartActivity(FetchKeysActivityName, ActivityKind.Client);
        activity?.SetTag(KeySourceTag, source);
        return activity;
    }

    private static TagList ResultTags(TokenFailureReason? outcome) => outcome switch
    {
        null => new TagList { { ResultTag, "error" } },
        TokenFailureReason.None => new TagList { { ResultTag, "success" } },
        TokenFailureReason.TokenMissing => new TagList { { ResultTag, "none" } },
        _ => new TagList { { ResultTag, "failure" }, { ReasonTag, outcome.Value.ToCode() } },
    };

    private static string TagOf(TokenSource source) => source switch
    {
        TokenSource.AuthorizationHeader => "authorization_header",
        TokenSource.Cookie => "cookie",
        TokenSource.QueryString => "query_string",
        TokenSource.MessageReceivedEvent => "message_received_event",
        _ => "unspecified",
    };

    /// <summary>What <see cref="StartValidation"/> started: the span (or none) and the timestamp (0 when not timed).</summary>
    internal readonly record struct ValidationTiming(Activity? Activity, long StartedAt);
}
