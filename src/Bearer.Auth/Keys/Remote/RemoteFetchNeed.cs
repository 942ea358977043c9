namespace Bearer.Auth;

/// <summary>Why a remote key lookup would fetch: the order is the urgency (a source with no key set knows nothing).</summary>
internal enum RemoteFetchNeed
{
    /// <summary>Every source that may serve the token answered from its cache.</summary>
    None,

    /// <summary>A source holds a key set without the token's <c>kid</c>: the set may have rotated.</summary>
    UnknownKeyId,

    /// <summary>A source that may serve the token has no key set yet (never fetched, or every fetch failed).</summary>
    NoKeySet,
}
