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
