using Microsoft.Extensions.Logging;

namespace Bearer.Auth;

/// <summary>
/// Log messages of remote key sources, with stable event ids from 10 up. They name the source by its URL and carry
/// key ids and counts, never key material or token content.
/// </summary>
internal static partial class RemoteKeyLog
{
    [LoggerMessage(EventId = 10, EventName = "RemoteKeySetRefreshed", Level = LogLevel.Information,
        Message = "Key set from {Source} refreshed: {KeyCount} usable keys; next refresh in {NextRefresh}.")]
    internal static partial void Refreshed(ILogger logger, string source, int keyCount, TimeSpan nextRefresh);

    [LoggerMessage(EventId = 11, EventName = "RemoteKeySkipped", Level = LogLevel.Warning,
        Message = "Key set from {Source}: a key was skipped: {Problem}")]
    internal static partial void KeySkipped(ILogger logger, string source, string problem);

    [LoggerMessage(EventId = 12, EventName = "RemoteKeySetFetchFailed", Level = LogLevel.Warning,
        Message = "Key set from {Source} could not be fetched: {Error} Serving the last good set: {HasLastGoodSet}. Retry in {RetryDelay}.")]
    internal static partial void FetchFailed(ILogger logger, string source, string error, bool hasLastGoodSet, TimeSpan retryDelay);

    [LoggerMessage(EventId = 13, EventName = "RemoteKeyRefreshForUnknownKey", Level = LogLevel.Debug,
        Message = "Key set from {Source}: no key matches the token's kid; refreshing.")]
    internal static partial void RefreshForUnknownKey(ILogger logger, string source);

    [LoggerMessage(EventId = 14, EventName = "RemoteKeyRefreshCoolingDown", Level = LogLevel.Debug,
        Message = "Key set from {Source}: no key matches the token's kid; not refreshing again within the cooldown.")]
    internal static partial void RefreshCoolingDown(ILogger logger, string source);

    [LoggerMessage(EventId = 15, EventName = "RemoteKeyWaitTimedOut", Level = LogLevel.Warning,
        Message = "A request stopped waiting for remote key sets after {Timeout}; it fails with key_source_unavailable.")]
    internal static partial void WaitTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 16, EventName = "RemoteKeySetTooStale", Level = LogLevel.Error,
        Message = "Key set from {Source} was last fetched {Age} ago, beyond the maximum staleness; it is no longer used.")]
    internal static partial void TooStale(ILogger logger, string source, TimeSpan age);

    [LoggerMessage(EventId = 17, EventName = "RemoteKeyIssuerMismatch", Level = LogLevel.Error,
        Message = "Key set from {Source} is not used: {Error} Tokens this source would verify fail with key_source_unavailable until it is fixed.")]
    internal static partial void IssuerMismatch(ILogger logger, string source, string error);

    [LoggerMessage(EventId = 28, EventName = "RemoteKeyRedirectRefused", Level = LogLevel.Warning,
        Message = "Key set from {Source}: the {Request} request to {From} was redirected to {Target}, another origin; the redirect is not followed.")]
    internal static partial void RedirectRefused(ILogger logger, string source, string request, string from, string target);
    [LoggerMessage(EventId = 18, EventName = "RemoteKeySetEmpty", Level = LogLevel.Warning,
        Message = "Key set from {Source} is empty: the provider publishes no keys, so the keys it served before are no longer used and its tokens fail with key_not_found. Next refresh in {NextRefresh}.")]
    internal static partial void KeySetEmpty(ILogger logger, string source, TimeSpan nextRefresh);
}
