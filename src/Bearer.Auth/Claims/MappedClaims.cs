using System.Security.Claims;

namespace Bearer.Auth;

/// <summary>
/// The claims one <see cref="JwtClaimsMapper"/> derived from a token the repeat-token cache shares, kept by that mapper
/// so that mapping the same token again only allocates the identity and its claims.
/// </summary>
/// <remarks>
/// Immutable. Claims are never shared: applications mutate the identity they get, and a claim points to its
/// identity; only the strings are.
/// </remarks>
internal sealed class MappedClaims
{
    /// <summary>Tokens with more claims than this are mapped from the payload every time, which bounds what a cache entry keeps.</summary>
    internal const int MaxClaims = 64;

    /// <summary>Likewise for the total length of the claim values, in characters.</summary>
    internal const int MaxValueLength = 2048;

    private readonly ClaimSpec[] _claims;

    internal MappedClaims(string nameClaimType, string issuer, ClaimSpec[] claims)
    {
        NameClaimType = nameClaimType;
        Issuer = issuer;
        _claims = claims;
    }

    internal string NameClaimType { get; }

    internal string Issuer { get; }

    internal ReadOnlySpan<ClaimSpec> Claims => _claims;

    internal ClaimsIdentity CreateIdentity(string authenticationType, string roleClaimType)
    {
        var identity = new JwtClaimsIdentity(authenticationType, NameClaimType, roleClaimType);
        foreach (var claim in _claims)
        {
            identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, Issuer, Issuer, identity));
        }

        return identity;
    }
}

/// <summary>One claim as the mapping derives it from the payload; the issuer is the token's.</summary>
internal readonly record struct ClaimSpec(string Type, string Value, string ValueType);
