using System.Security.Claims;
using TokenValidationResult = Bearer.Auth.TokenValidationResult;
using Microsoft.IdentityModel.Tokens;
using TokenValidationParameters = Microsoft.IdentityModel.Tokens.TokenValidationParameters;

namespace Bearer.Auth.Benchmarks;

/// <summary>Equivalent settings for both libraries, and small helpers.</summary>
public static class BenchSetup
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Validation proper: the repeat-token cache (on by default) is measured by its own rows, with <paramref name="cacheSize"/>.</summary>
    public static TokenValidationSettings OurSettings(BenchTokens tokens, int cacheSize = 0, ITokenRevocationCheck? revocation = null) => new()
    {
        KeyResolver = new StaticKeyResolver([tokens.OurKey]),
        ValidIssuers = [BenchTokens.Issuer],
        ValidAudiences = [BenchTokens.Audience],
        ClockSkew = ClockSkew,
        RepeatTokenCacheSize = cacheSize,
        RevocationCheck = revocation,
    };

    /// <summary>The claims Bearer.Auth's default mapping gives the benchmark token, for handlers that only hand them out.</summary>
    public static Claim[] OurClaims(BenchTokens tokens, out string nameClaimType, out string roleClaimType)
    {
        var validated = Wait(new BearerJwtValidator(OurSettings(tokens)).ValidateAsync(tokens.Token));
        Check(validated.Succeeded, "claims set-up");
        var identity = new JwtClaimsMapper().CreateIdentity(validated.Token!, BearerJwtDefaults.AuthenticationScheme);
        nameClaimType = identity.NameClaimType;
        roleClaimType = identity.RoleClaimType;
        return [.. identity.Claims];
    }

    public static TokenValidationParameters MicrosoftParameters(BenchTokens tokens) => new()
    {
        ValidIssuer = BenchTokens.Issuer,
        ValidAudience = BenchTokens.Audience,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = ClockSkew,
        IssuerSigningKey = tokens.MicrosoftKey,
        ValidAlgorithms = [tokens.Algorithm],
    };

    public static TokenValidationResult Wait(ValueTask<TokenValidationResult> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    public static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    public static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"The {what} path refused the benchmark token: the comparison would be meaningless.");
        }
    }
}
