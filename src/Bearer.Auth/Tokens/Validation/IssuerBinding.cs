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
/// "Its own keys" means the keys known now. An authority whose issuer is learned from its discovery document
/// (<c>ValidateMetadataIssuer</c> off) binds nothing until its first fetch completes; in that window an unbound key
/// may serve that issuer if it is also listed as valid. The start-up warm-up closes the window in practice; an
/// authority checked against its URL (the default) is bound from the start.
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
    /// own); otherwise the key (no key of that issuer matches the <c>kid</c> and <c>alg</c>).
    /// </summary>
    internal TokenFailureReason NoKeyReason(in RegisteredClaims claims, bool issuerHasBoundKeys) =>
        _validateIssuer && !claims.IssuerIsConfigured && !issuerHasBoundKeys
            ? TokenFailureReason.IssuerInvalid
            : TokenFailureReason.KeyNotFound;

    /// <summary>After the signature: whether the key that verified it vouches for the token's issuer.</summary>
    internal TokenFailureReason CheckVouched(VerificationKey key, in RegisteredClaims claims)
    {
        var vouched = key.Issuer is not null
            ? string.Equals(key.Issuer, claims.Issuer, StringComparison.Ordinal)
            : claims.IssuerIsConfigured || !_validateIssuer;
        return vouched ? TokenFailureReason.None : TokenFailureReason.IssuerInvalid;
    }
}
