using Microsoft.Extensions.Logging;

namespace Bearer.Auth;

/// <summary>
/// Log messages of the signing key ring, with stable event ids from 60 up. They carry key ids and times, never key
/// material.
/// </summary>
internal static partial class SigningKeyRingLog
{
    [LoggerMessage(EventId = 60, EventName = "SigningKeyCreated", Level = LogLevel.Information,
        Message = "Signing key {KeyId} ({Algorithm}) created: published now, signs from {ActivatesAt:O} to {RetiresAt:O}, published until {ExpiresAt:O}.")]
    internal static partial void KeyCreated(ILogger logger, string keyId, string algorithm, DateTimeOffset activatesAt, DateTimeOffset retiresAt, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 61, EventName = "SigningKeyCreatedWithoutLead", Level = LogLevel.Warning,
        Message = "Signing key {KeyId} ({Algorithm}) signs at once, without a publication lead: the ring had no key that signs now (first start, or every instance was stopped through a rotation). Validators that cached the JWKS fetch it again when they meet its kid.")]
    internal static partial void KeyCreatedWithoutLead(ILogger logger, string keyId, string algorithm);

    [LoggerMessage(EventId = 62, EventName = "SigningKeyStoreReadFailed", Level = LogLevel.Warning,
        Message = "The signing key store could not be read: {Error} The ring keeps the {KeyCount} keys it read before; it tries again in {RetryIn}.")]
    internal static partial void LoadFailed(ILogger logger, string error, int keyCount, TimeSpan retryIn);

    [LoggerMessage(EventId = 63, EventName = "SigningKeyStoreWriteFailed", Level = LogLevel.Error,
        Message = "The signing key store could not store a new key: {Error} The ring keeps signing with its current key, if it has one.")]
    internal static partial void AddFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 64, EventName = "SigningKeyUnreadable", Level = LogLevel.Error,
        Message = "A signing key record is skipped: {Error}")]
    internal static partial void RecordSkipped(ILogger logger, string error);

    [LoggerMessage(EventId = 65, EventName = "SigningKeyRefreshForUnknownKey", Level = LogLevel.Debug,
        Message = "No ring key matches the token's kid; re-reading the signing key store.")]
    internal static partial void RefreshForUnknownKey(ILogger logger);
}
