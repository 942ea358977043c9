namespace Bearer.Auth.Keys;

/// <summary>
/// Implemented by the built-in resolvers, which bind keys to issuers, so the validator can tell "this issuer has
/// keys but none matches the token" (<c>key_not_found</c>) from "nothing vouches for this issuer" (<c>issuer_invalid</c>).
/// </summary>
internal interface IIssuerBoundKeyResolver
{
    /// <summary>Whether any key this resolver serves is bound to <paramref name="issuer"/>.</summary>
    bool HasKeysBoundTo(string issuer);
}
