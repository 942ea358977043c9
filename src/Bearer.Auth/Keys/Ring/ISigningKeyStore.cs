namespace Bearer.Auth;

/// <summary>
/// Keeps the keys of a <see cref="SigningKeyRing"/>. Instances that share a store share the ring: a key one instance
/// creates, the others read at their next refresh. The ring reads it periodically and when a token names an unknown
/// <c>kid</c>, never once per request.
/// </summary>
/// <remarks>
/// Two instances may add a key at the same moment: the store keeps both, and every ring picks the same one to sign
/// with (the newest <see cref="SigningKeyRecord.ActivatesAt"/>, then the smallest <c>kid</c>). A store shared between
/// processes must protect the private keys at rest.
/// </remarks>
public interface ISigningKeyStore
{
    /// <summary>Reads every key the store holds that has not expired.</summary>
    /// <param name="cancellationToken">Cancels a remote read.</param>
    /// <returns>The keys, in any order.</returns>
    Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a key, kept until its <see cref="SigningKeyRecord.ExpiresAt"/>; other keys are never replaced.</summary>
    /// <param name="record">The key.</param>
    /// <param name="cancellationToken">Cancels a remote write.</param>
    /// <returns>A task that completes when the key is stored.</returns>
    Task AddAsync(SigningKeyRecord record, CancellationToken cancellationToken = default);
}
