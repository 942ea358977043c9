using System.Security.Claims;
using Bearer.Auth.Claims;
using Bearer.Auth.Tokens;
using TokenValidationResult = Bearer.Auth.Tokens.TokenValidationResult;
using Microsoft.IdentityModel.Tokens;
using TokenValidationParameters = Microsoft.IdentityModel.Tokens.TokenValidationParameters;

namespace Bearer.Auth.Benchmarks;

/// <summary>Equivalent settings for both libraries, and small helpers.</summary>
public static class BenchSetup
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static BearerJwtOptions OurOptions(BenchTokens tokens)
    {
        var options = new BearerJwtOptions
        {
            ValidIssuer = BenchTokens.Issuer,
            ValidAudience = BenchTokens.Audience,
            ClockSkew = ClockSkew,

            // Validation proper: the repeat-token cache (on by default) is measured by its own rows.
            RepeatTokenCacheSize = 0,
        };
        options.SigningKeys.Add(tokens.OurKey);
        return options;
    }

    /// <summary>The claims Bearer.Auth's default mapping gives the benchmark token, for handlers that only hand them out.</summary>
    public static Claim[] OurClaims(BenchTokens tokens, out string nameClaimType, out string roleClaimType)
    {
        var options = OurOptions(tokens);
        var validated = Wait(new BearerTokenValidator(options).ValidateAsync(tokens.Token));
        Check(validated.Succeeded, "claims set-up");
        var identity = new JwtClaimsMapper(options.NameClaimType, options.RoleClaimType, options.RoleClaimPaths)
            .CreateIdentity(validated.Token!, BearerJwtDefaults.AuthenticationScheme);
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

    public static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"The {what} path refused the benchmark token: the comparison would be meaningless.");
        }
    }
}
