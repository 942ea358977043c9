namespace Bearer.Auth;

/// <summary>A ring key read once: its record, the key that signs with it, and its public half for the JWKS.</summary>
internal sealed class SigningKeyRingEntry
{
    private volatile VerificationKey? _bound;

    internal SigningKeyRingEntry(SigningKeyRecord record)
    {
        Record = record;
        SigningKey = record.ToSigningKey();
        PublicKey = SigningKey.ToVerificationKey();
    }

    internal SigningKeyRecord Record { get; }

    internal SigningKey SigningKey { get; }

    internal VerificationKey PublicKey { get; }

    /// <summary>The public half bound to <paramref name="issuer"/>, created once per issuer (its crypto context stays warm).</summary>
    internal VerificationKey BoundTo(string issuer)
    {
        var bound = _bound;
        if (bound is not null && string.Equals(bound.Issuer, issuer, StringComparison.Ordinal))
        {
            return bound;
        }

        bound = SigningKey.ToVerificationKey(issuer);
        _bound = bound;
        return bound;
    }

    /// <summary>Whether <paramref name="record"/> is this entry's key with the same schedule (so the entry can be kept).</summary>
    internal bool Describes(SigningKeyRecord record) =>
        string.Equals(record.KeyId, Record.KeyId, StringComparison.Ordinal)
        && string.Equals(record.Algorithm, Record.Algorithm, StringComparison.Ordinal)
        && record.ActivatesAt == Record.ActivatesAt
        && record.RetiresAt == Record.RetiresAt
        && record.ExpiresAt == Record.ExpiresAt;
}
