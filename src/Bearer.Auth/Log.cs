using Microsoft.Extensions.Logging;

namespace Bearer.Auth;

/// <summary>
/// The handler's log messages with stable event ids. They carry reason codes and algorithm names, never a token,
/// a key, or claim values from an unverified token; the one exception is the Debug record of a rejected token
/// (<see cref="RejectedTokenDetails"/>), which shows its alg, kid, iss and aud, sanitized and cut short.
/// </summary>
internal static partial class Log
{
    /// <summary>Logs a refusal under the event that matches its kind, with the stable reason code.</summary>
    internal static void Rejected(ILogger logger, TokenFailureReason reason)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        // ToCode is a switch over constant strings: nothing to defer.
#pragma warning disable CA1873
        if (reason.IsRequestError())
        {
            RequestRejected(logger, reason.ToCode());
        }
        else
        {
            TokenRejected(logger, reason.ToCode());
        }
#pragma warning restore CA1873
    }

    [LoggerMessage(EventId = 1, EventName = "TokenValidated", Level = LogLevel.Debug,
        Message = "Bearer token validated (alg {Algorithm}).")]
    internal static partial void TokenValidated(ILogger logger, string algorithm);

    [LoggerMessage(EventId = 2, EventName = "TokenRejected", Level = LogLevel.Information,
        Message = "Bearer token rejected: {Reason}.")]
    internal static partial void TokenRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 3, EventName = "RequestRejected", Level = LogLevel.Information,
        Message = "Bearer request rejected: {Reason}.")]
    internal static partial void RequestRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, EventName = "TokenRejectedByApplication", Level = LogLevel.Information,
        Message = "Bearer token rejected by the application's OnTokenValidated handler.")]
    internal static partial void TokenRejectedByApplication(ILogger logger, Exception? failure);

    [LoggerMessage(EventId = 5, EventName = "ForbiddenResponse", Level = LogLevel.Information,
        Message = "Bearer authorization failed: 403 insufficient_scope.")]
    internal static partial void Forbidden(ILogger logger);

    /// <summary>A key under the scheme's section that nothing reads; <paramref name="closestSetting"/> is relative to that section.</summary>
    internal static void UnknownConfigurationKey(ILogger logger, string key, string? closestSetting) =>
        UnknownConfigurationKeyCore(logger, key, closestSetting is null ? "no similar setting" : $"did you mean {closestSetting}?");

    [LoggerMessage(EventId = 30, EventName = "UnknownConfigurationKey", Level = LogLevel.Warning,
        Message = "Configuration key {Key} is not a Bearer.Auth setting and is ignored ({Suggestion}).")]
    private static partial void UnknownConfigurationKeyCore(ILogger logger, string key, string suggestion);

    [LoggerMessage(EventId = 31, EventName = "TokenRejectionDetails", Level = LogLevel.Debug,
        Message = "Bearer token rejected ({Reason}): received alg {ReceivedAlgorithm}, kid {ReceivedKeyId}, iss {ReceivedIssuer}, aud {ReceivedAudience}; expected {Expected}.")]
    internal static partial void TokenRejectionDetails(ILogger logger, string reason, string receivedAlgorithm, string receivedKeyId,
        string receivedIssuer, string receivedAudience, string expected);

    [LoggerMessage(EventId = 40, EventName = "ResponseAlreadyStarted", Level = LogLevel.Information,
        Message = "Bearer challenge or forbid not written: the response has already started.")]
    internal static partial void ResponseAlreadyStarted(ILogger logger);
}
