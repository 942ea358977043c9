using Microsoft.Extensions.Logging;

namespace Bearer.Auth;

/// <summary>
/// The handler's log messages with stable event ids. They carry reason codes and algorithm names, never a token,
/// a key, or claim values from an unverified token.
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

    [LoggerMessage(EventId = 40, EventName = "ResponseAlreadyStarted", Level = LogLevel.Information,
        Message = "Bearer challenge or forbid not written: the response has already started.")]
    internal static partial void ResponseAlreadyStarted(ILogger logger);
}
