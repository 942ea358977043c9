namespace Bearer.Auth;

/// <summary>
/// What the ring answers with until <see cref="ValidUntil"/>: the key that signs and the keys published, computed once
/// from the keys read, so signing and validating read a field instead of the store.
/// </summary>
internal sealed class SigningKeyRingSnapshot
{
    internal static readonly SigningKeyRingSnapshot Empty = new([], DateTimeOffset.MinValue);

    internal SigningKeyRingSnapshot(IReadOnlyList<SigningKeyRingEntry> entries, DateTimeOffset at)
    {
        var live = new List<SigningKeyRingEntry>(entries.Count);
        var validUntil = DateTimeOffset.MaxValue;
        foreach (var entry in entries)
        {
            var record = entry.Record;
            if (record.ExpiresAt <= at)
            {
                continue;
            }

            live.Add(entry);
            validUntil = Min(validUntil, record.ExpiresAt);
            if (record.ActivatesAt > at)
            {
                validUntil = Min(validUntil, record.ActivatesAt);
            }

            if (record.RetiresAt > at)
            {
                validUntil = Min(validUntil, record.RetiresAt);
            }

            if (record.SignsAt(at) && (Signing is null || SignsBefore(record, Signing.Record)))
            {
                Signing = entry;
            }
        }

        // Newest first: the order of the published JWKS.
        live.Sort(static (a, b) => SignsBefore(a.Record, b.Record) ? -1 : SignsBefore(b.Record, a.Record) ? 1 : 0);
        Entries = live;
        var published = new VerificationKey[live.Count];
        for (var i = 0; i < published.Length; i++)
        {
            published[i] = live[i].PublicKey;
        }

        Published = published;
        ValidUntil = validUntil;
    }

    /// <summary>The keys not expired, newest first.</summary>
    internal IReadOnlyList<SigningKeyRingEntry> Entries { get; }

    /// <summary>The key that signs, or <see langword="null"/> when none may.</summary>
    internal SigningKeyRingEntry? Signing { get; }

    /// <summary>The public halves of <see cref="Entries"/>, including keys that do not sign yet.</summary>
    internal IReadOnlyList<VerificationKey> Published { get; }

    /// <summary>
    /// When a key activates, retires or expires: the snapshot is rebuilt from then on. Never, for a ring without live
    /// keys: only reading the store changes it.
    /// </summary>
    internal DateTimeOffset ValidUntil { get; }

    /// <summary>
    /// The one order every instance applies, so rings over one store pick the same signing key even when two created
    /// one at once: the newest <see cref="SigningKeyRecord.ActivatesAt"/> first, then the smallest <c>kid</c>.
    /// </summary>
    internal static bool SignsBefore(SigningKeyRecord a, SigningKeyRecord b) =>
        a.ActivatesAt != b.ActivatesAt ? a.ActivatesAt > b.ActivatesAt : string.CompareOrdinal(a.KeyId, b.KeyId) < 0;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
