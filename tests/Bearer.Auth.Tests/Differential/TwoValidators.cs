using System.Reflection;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MicrosoftResult = Microsoft.IdentityModel.Tokens.TokenValidationResult;

namespace Bearer.Auth.Tests.Differential;

/// <summary>
/// Our validator and Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/> configured alike: the same keys
/// (<see cref="OracleKeys"/>, every algorithm allowed), issuer, audience, clock (one <see cref="FakeTimeProvider"/> at
/// <see cref="Now"/>, which both read) and clock skew; <c>exp</c> required on both sides. IdentityModel keeps its
/// other defaults (any <c>typ</c>, a trailing slash ignored on audiences, every key tried when the <c>kid</c> names
/// none, claim types not mapped), as an application using it would: where those make it accept what we refuse, the
/// difference is one of <see cref="IntentionalDisagreements"/>.
/// </summary>
internal sealed class TwoValidators
{
    internal static readonly DateTimeOffset Now = ValidatorFixture.Now;

    internal static readonly TimeSpan ClockSkew = BearerJwtDefaults.ClockSkew;

    private readonly JsonWebTokenHandler _handler = new();

    internal TwoValidators()
    {
        Keys = OracleKeys.Instance;
        Time = new FakeTimeProvider(Now);
        Ours = new BearerJwtValidator(new TokenValidationSettings
        {
            KeyResolver = new StaticKeyResolver(Keys.All.Select(k => k.Verification)),
            ValidIssuers = [TestJwt.Issuer],
            ValidAudiences = [TestJwt.Audience],
            ValidAlgorithms = JwsAlgorithms.All,
            ClockSkew = ClockSkew,
            TimeProvider = Time,
        });
        Parameters = new TokenValidationParameters
        {
            ValidIssuer = TestJwt.Issuer,
            ValidAudience = TestJwt.Audience,
            ValidAlgorithms = [.. JwsAlgorithms.All],
            IssuerSigningKeys = [.. Keys.All.SelectMany(k => k.MicrosoftVerification)],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            CryptoProviderFactory = OracleKeys.NoCache(),
        };

        // 8.19.2 reads the clock through TokenValidationParameters.TimeProvider, which it does not make public yet.
        var timeProvider = typeof(TokenValidationParameters).GetProperty("TimeProvider", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("IdentityModel has no TimeProvider on TokenValidationParameters: the oracle would read the system clock.");
        timeProvider.SetValue(Parameters, Time);
    }

    internal OracleKeys Keys { get; }

    internal FakeTimeProvider Time { get; }

    internal BearerJwtValidator Ours { get; }

    internal TokenValidationParameters Parameters { get; }

    /// <summary>Both verdicts on <paramref name="token"/>; an exception from ours is recorded, not thrown.</summary>
    internal async Task<Verdicts> JudgeAsync(string token)
    {
        TokenValidationResult ours = default;
        Exception? thrown = null;
        try
        {
            ours = await Ours.ValidateAsync(token, TestContext.Current.CancellationToken);
        }
        catch (Exception exception)
        {
            thrown = exception;
        }

        MicrosoftResult theirs;
        try
        {
            theirs = await _handler.ValidateTokenAsync(token, Parameters);
        }
        catch (Exception exception)
        {
            // The oracle is not under test: an exception from it is its refusal.
            theirs = new MicrosoftResult { IsValid = false, Exception = exception };
        }

        return new Verdicts(token, ours, thrown, theirs);
    }
}
