using System.Security.Claims;

namespace Bearer.Auth.Claims;

/// <summary>
/// The claims one <see cref="JwtClaimsMapper"/> derived from one token, kept on the <see cref="Tokens.ValidatedToken"/>
/// so that mapping the same instance again only allocates the identity and its claims. The repeat-token cache hands
/// the same instance to every request presenting the token; without it every request has its own instance and
/// nothing is kept.
/// </summary>
/// <remarks>
/// Immutable once published, and published with a compare-exchange, so concurrent requests either see a complete
/// instance or none. Claims are never shared: applications mutate the identity they get, and a claim points to its
/// identity; only the strings are.
/// </remarks>
internal sealed class MappedClaims
{
    /// <summary>Tokens with more claims than this are mapped from the payload every time, which bounds what a cache entry keeps.</summary>
    internal const int MaxClaims = 64;

    /// <summary>Likewise for the total length of the claim values, in characters.</summary>
    internal const int MaxValueLength = 2048;

    private readonly ClaimSpec[]? _claims;

    /// <summary>Creates the marker a mapper leaves on a token it has mapped once: it keeps the claims on the second time only.</summary>
    internal MappedClaims(JwtClaimsMapper mapper)
    {
        Mapper = mapper;
        NameClaimType = string.Empty;
        Issuer = string.Empty;
    }

    internal MappedClaims(JwtClaimsMapper mapper, string nameClaimType, string issuer, ClaimSpec[] claims)
    {
        Mapper = mapper;
        NameClaimType = nameClaimType;
        Issuer = issuer;
        _claims = claims;
    }

    /// <summary>Gets the mapper that derived these claims; no other mapper uses them, its settings may differ.</summary>
    internal JwtClaimsMapper Mapper { get; }

    /// <summary>Gets whether this is only the marker left by the first mapping (no claims kept).</summary>
    internal bool IsMarker => _claims is null;

    internal string NameClaimType { get; }

    internal string Issuer { get; }

    internal ReadOnlySpan<ClaimSpec> Claims => _claims;

    internal ClaimsIdentity CreateIdentity(string authenticationType, string roleClaimType)
    {
        var identity = new ClaimsIdentity(authenticationType, NameClaimType, roleClaimType);
        foreach (var claim in _claims!)
        {
            identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, Issuer, Issuer, identity));
        }

        return identity;
    }
}

/// <summary>One claim as the mapping derives it from the payload; the issuer is the token's.</summary>
internal readonly record struct ClaimSpec(string Type, string Value, string ValueType);
