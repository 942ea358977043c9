using System.Security.Claims;

namespace Bearer.Auth.Tests.Claims;

/// <summary>
/// SAMPLE: how an application extends the built-in mapping rather than replacing it. It wraps
/// <see cref="JwtClaimsMapper"/>, lets it map the token, then adds a claim to the identity it returns (always a new
/// one, so adding to it is safe) — here a <c>tenant</c> claim derived from the issuer's host. An added claim names the
/// token's issuer like every other claim, and the name and role claim types stay the inner mapper's.
/// <see cref="TenantClaimsMapperContractTests"/> holds it to the <see cref="ClaimsMapperContract"/>. Register it with
/// <c>services.AddSingleton&lt;IClaimsMapper&gt;(new TenantClaimsMapper(new JwtClaimsMapper()))</c> or the scheme's
/// <c>ClaimsMapper</c> option.
/// </summary>
internal sealed class TenantClaimsMapper : IClaimsMapper
{
    internal const string TenantClaimType = "tenant";

    private readonly IClaimsMapper _inner;

    internal TenantClaimsMapper(IClaimsMapper inner)
    {
        _inner = inner;
    }

    public ClaimsIdentity CreateIdentity(ValidatedToken token, string authenticationType)
    {
        var identity = _inner.CreateIdentity(token, authenticationType);
        if (Uri.TryCreate(token.Issuer, UriKind.Absolute, out var issuer))
        {
            identity.AddClaim(new Claim(TenantClaimType, issuer.Host, ClaimValueTypes.String, token.Issuer));
        }

        return identity;
    }
}
