using Microsoft.Extensions.Logging;

namespace Bearer.Auth.Redis;

/// <summary>
/// The Redis revocation store's log messages (event ids 80 to 99, a range no other message of either package uses).
/// They carry versions, epochs and durations, never a revoked token id, session or subject.
/// </summary>
internal static partial class RevocationLog
{
    [LoggerMessage(EventId = 80, EventName = "RevocationViewLoaded", Level = LogLevel.Information,
        Message = "Revocation view loaded from Redis: epoch {Epoch}, version {Version}, {Entries} entries.")]
    internal static partial void ViewLoaded(ILogger logger, string epoch, long version, int entries);

    [LoggerMessage(EventId = 81, EventName = "RevocationDataReplaced", Level = LogLevel.Warning,
        Message = "Redis's revocation data changed epoch ({PreviousEpoch} to {Epoch}): Redis lost or replaced it, or all of it ended. The view was rebuilt from Redis with {Entries} entries; revocations Redis no longer holds are no longer enforced.")]
    internal static partial void DataReplaced(ILogger logger, string previousEpoch, string epoch, int entries);

    [LoggerMessage(EventId = 82, EventName = "RevocationViewCaughtUp", Level = LogLevel.Debug,
        Message = "Revocation view caught up from version {From} to {To} ({Entries} entries): pub/sub had not delivered them.")]
    internal static partial void CaughtUp(ILogger logger, long from, long to, int entries);

    [LoggerMessage(EventId = 83, EventName = "RevocationSyncFailed", Level = LogLevel.Warning,
        Message = "Redis did not answer the revocation view's heartbeat; the view stays trusted until {UnavailableAfter} after its last confirmation.")]
    internal static partial void SyncFailed(ILogger logger, TimeSpan unavailableAfter, Exception exception);

    [LoggerMessage(EventId = 84, EventName = "RevocationViewUntrusted", Level = LogLevel.Error,
        Message = "Revocation view not confirmed by Redis for more than {UnavailableAfter}: authenticated requests get 503 revocation_unavailable until Redis answers.")]
    internal static partial void ViewUntrusted(ILogger logger, TimeSpan unavailableAfter);

    [LoggerMessage(EventId = 85, EventName = "RevocationFailingOpen", Level = LogLevel.Error,
        Message = "Revocation view not confirmed by Redis for more than {UnavailableAfter}; FailOpen is on, so tokens are checked against the stale view and revocations made meanwhile are not enforced.")]
    internal static partial void FailingOpen(ILogger logger, TimeSpan unavailableAfter);

    [LoggerMessage(EventId = 86, EventName = "RevocationViewTrustedAgain", Level = LogLevel.Information,
        Message = "Revocation view confirmed current by Redis again (version {Version}).")]
    internal static partial void TrustedAgain(ILogger logger, long version);

    [LoggerMessage(EventId = 87, EventName = "RevocationMessageUnreadable", Level = LogLevel.Warning,
        Message = "A message on the revocation channel could not be read and was ignored; the next heartbeat catches up from Redis.")]
    internal static partial void MessageUnreadable(ILogger logger);

    [LoggerMessage(EventId = 88, EventName = "RevocationNotWritten", Level = LogLevel.Warning,
        Message = "A revocation was not written: Redis is unavailable. The caller gets TokenStoreUnavailableException and must retry.")]
    internal static partial void NotWritten(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 89, EventName = "RevocationStoreNotStarted", Level = LogLevel.Error,
        Message = "The revocation store could not connect to Redis: every check answers revocation_unavailable until it does. Tried again every heartbeat.")]
    internal static partial void NotStarted(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 90, EventName = "RevocationSubscribeFailed", Level = LogLevel.Warning,
        Message = "Could not subscribe to the revocation channel; tried again at the next heartbeat, which keeps the view current meanwhile.")]
    internal static partial void SubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 91, EventName = "RevocationDataWentBack", Level = LogLevel.Warning,
        Message = "Redis's revocation data went back under epoch {Epoch} (the view was at version {ViewVersion}, Redis at {Version}): Redis restarted without its last writes, failed over to a lagging replica, or evicted keys (run it with maxmemory-policy noeviction and an append-only file). The view was rebuilt from Redis with {Entries} entries; revocations Redis lost are no longer enforced.")]
    internal static partial void DataWentBack(ILogger logger, string epoch, long viewVersion, long version, int entries);

    [LoggerMessage(EventId = 92, EventName = "RevocationViewRebuilt", Level = LogLevel.Debug,
        Message = "Revocation view rebuilt from Redis after a reconnection: version {Version}, {Entries} entries.")]
    internal static partial void Rebuilt(ILogger logger, long version, int entries);
}
