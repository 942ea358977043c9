namespace Bearer.Auth;

/// <summary>
/// The one decision "may this key vouch for this issuer" (RFC 8725 §3.8: keys per issuer, never one shared pool),
/// asked by every path: the built-in key lookups and remote sources when they pick candidates, verification when it
/// tries them, claim validation once a key has verified the signature, and the repeat-token cache before it serves a
/// token again.
/// </summary>
/// <remarks>
/// A key bound to an issuer vouches for that issuer only, and makes it valid for that key even when it is not
/// configured. A key bound to no issuer serves only an issuer that has no keys of its own, and vouches for it only
/// when it is configured (or issuers are not validated): a general-purpose key can never sign as an issuer that
/// brought its own keys.
/// <para>
/// "Its own keys" means the keys known now. Before its first fetch, a discovery source counts every issuer its
/// metadata may name as bound (its <c>Authority</c> with and without a trailing slash, or with a <c>MetadataAddress</c>
/// the scheme's valid issuers), so no unbound key serves them in that window; afterwards only the issuer the metadata
/// names (and the source's additional issuers) is. An authority whose issuer is learned from its discovery document
/// unchecked (<c>ValidateMetadataIssuer</c> off) binds nothing until its first fetch completes; in that window an
/// unbound key may serve that issuer if it is also listed as valid. The start-up warm-up closes the window in practice.
/// </para>
/// </remarks>
internal sealed class IssuerBinding
{
    private readonly bool _validateIssuer;

    internal IssuerBinding(bool validateIssuer)
    {
        _validateIssuer = validateIssuer;
    }

    /// <summary>
    /// Whether keys bound to <paramref name="keyIssuer"/> (<see langword="null"/>: unbound) are candidates for a token
    /// of <paramref name="issuer"/>; <paramref name="issuerHasBoundKeys"/> says whether any key of the scheme is bound
    /// to <paramref name="issuer"/>.
    /// </summary>
    internal static bool Serves(string? keyIssuer, string? issuer, bool issuerHasBoundKeys) =>
        keyIssuer is not null ? string.Equals(keyIssuer, issuer, StringComparison.Ordinal) : !issuerHasBoundKeys;

    /// <summary>Before any key lookup: a token must name its issuer when issuers are validated.</summary>
    internal TokenFailureReason RequireIssuer(in RegisteredClaims claims) =>
        _validateIssuer && claims.Issuer is null ? TokenFailureReason.IssuerInvalid : TokenFailureReason.None;

    /// <summary>
    /// Why no key was found for a token: its issuer, when nothing vouches for it (not configured and no keys of its
    /// own); otherwise the resolver's answer: no key matches the <c>kid</c> and <c>alg</c>
    /// (<see cref="TokenFailureReason.KeyNotFound"/>), or keys match but may not sign for this valid issuer
    /// (<see cref="TokenFailureReason.KeyIssuerMismatch"/>).
    /// </summary>
    internal TokenFailureReason NoKeyReason(in RegisteredClaims claims, bool issuerHasBoundKeys, TokenFailureReason resolverFailure) =>
        _validateIssuer && !claims.IssuerIsConfigured && !issuerHasBoundKeys
            ? TokenFailureReason.IssuerInvalid
            : resolverFailure;

    /// <summary>After the signature: whether the key that verified it vouches for the token's issuer.</summary>
    internal TokenFailureReason CheckVouched(VerificationKey key, in RegisteredClaims claims)
    {
        var vouched = key.Issuer is not null
            ? string.Equals(key.Issuer, claims.Issuer, StringComparison.Ordinal)
            : claims.IssuerIsConfigured || !_validateIssuer;
        return vouched ? TokenFailureReason.None : TokenFailureReason.IssuerInvalid;
    }
}
