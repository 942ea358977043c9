using System.Globalization;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// The revocation check alone, as the validator calls it once per accepted token, against a store holding 100,000
/// live revocations (70,000 <c>jti</c>, 20,000 <c>sid</c>, 10,000 <c>sub</c>, one more <c>jti</c> for <c>RevokedByTokenId</c>: every kind holds entries, so a token
/// that is not revoked costs all three lookups, the worst case). <c>NotRevoked</c> is the usual request;
/// <c>Revoked*</c> hit each kind. Run: <c>dotnet run -c Release -- --filter '*RevocationCheck*'</c>.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class RevocationCheckBenchmarks
{
    private const int RevokedTokens = 70_000;
    private const int RevokedSessions = 20_000;
    private const int RevokedSubjects = 10_000;

    // Called through the interface, as the validator calls it (CA1859 would have it devirtualized).
#pragma warning disable CA1859
    private ITokenRevocationCheck _check = null!;
#pragma warning restore CA1859
    private ValidatedToken _notRevoked = null!;
    private ValidatedToken _revokedByTokenId = null!;
    private ValidatedToken _revokedBySession = null!;
    private ValidatedToken _revokedBySubject = null!;

    [GlobalSetup]
    public void Setup()
    {
#pragma warning disable CA1859
        ITokenRevocationStore store = new InMemoryTokenRevocationStore(new MinuteAhead());
#pragma warning restore CA1859
        Fill(store);
        _check = store;

        var key = SigningKey.Symmetric(RandomNumberGenerator.GetBytes(32), JwsAlgorithms.HS256, "bench");
        var issuer = new BearerJwtTokenIssuer(new BearerJwtIssuerOptions { Issuer = BenchTokens.Issuer, Audiences = [BenchTokens.Audience], SigningKey = key });
        var validator = new BearerJwtValidator(new TokenValidationSettings
        {
            ValidIssuers = [BenchTokens.Issuer],
            ValidAudiences = [BenchTokens.Audience],
            KeyResolver = new StaticKeyResolver([key.ToVerificationKey()]),
            ValidTypes = ["at+jwt"],
        });

        // Identifiers shaped like the issuer's own: 22-character random jti and sid, a short subject.
        _notRevoked = Validate(validator, issuer, new AccessTokenRequest("user-live") { SessionId = "sid-live-0123456789abc" });
        _revokedByTokenId = Validate(validator, issuer, new AccessTokenRequest("user-live") { SessionId = "sid-live-0123456789abc" });
        BenchSetup.Wait(store.RevokeTokenAsync(_revokedByTokenId.TokenId!, DateTimeOffset.UtcNow.AddHours(1)));
        _revokedBySession = Validate(validator, issuer, new AccessTokenRequest("user-live") { SessionId = "sid-000000000000000042" });
        _revokedBySubject = Validate(validator, issuer, new AccessTokenRequest("user-42") { SessionId = "sid-live-0123456789abc" });

        BenchSetup.Check(Status(_notRevoked) == TokenRevocationStatus.NotRevoked, "a live token passes");
        BenchSetup.Check(Status(_revokedByTokenId) == TokenRevocationStatus.Revoked, "jti revoked");
        BenchSetup.Check(Status(_revokedBySession) == TokenRevocationStatus.Revoked, "sid revoked");
        BenchSetup.Check(Status(_revokedBySubject) == TokenRevocationStatus.Revoked, "sub revoked");
    }

    [Benchmark(Baseline = true)]
    public TokenRevocationStatus NotRevoked() => Status(_notRevoked);

    [Benchmark]
    public TokenRevocationStatus RevokedByTokenId() => Status(_revokedByTokenId);

    [Benchmark]
    public TokenRevocationStatus RevokedBySession() => Status(_revokedBySession);

    [Benchmark]
    public TokenRevocationStatus RevokedBySubject() => Status(_revokedBySubject);

    /// <summary>100,000 revocations, valid for an hour, none of them the live token's.</summary>
    internal static void Fill(ITokenRevocationStore store)
    {
        var until = DateTimeOffset.UtcNow.AddHours(1);
        for (var i = 0; i < RevokedTokens; i++)
        {
            BenchSetup.Wait(store.RevokeTokenAsync("jti-" + i.ToString("D18", CultureInfo.InvariantCulture), until));
        }

        for (var i = 0; i < RevokedSessions; i++)
        {
            BenchSetup.Wait(store.RevokeSessionAsync("sid-" + i.ToString("D18", CultureInfo.InvariantCulture), until));
        }

        for (var i = 0; i < RevokedSubjects; i++)
        {
            BenchSetup.Wait(store.RevokeSubjectAsync("user-" + i.ToString(CultureInfo.InvariantCulture), until));
        }
    }

    /// <summary>The store's clock, a minute ahead: its subject revocations come after the tokens' <c>iat</c> second.</summary>
    private sealed class MinuteAhead : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddMinutes(1);
    }

    private TokenRevocationStatus Status(ValidatedToken token)
    {
        var pending = _check.CheckAsync(token, CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    private static ValidatedToken Validate(BearerJwtValidator validator, BearerJwtTokenIssuer issuer, AccessTokenRequest request)
    {
        var result = BenchSetup.Wait(validator.ValidateAsync(issuer.Issue(request).Token));
        BenchSetup.Check(result.Succeeded, "issued token validates");
        return result.Token!;
    }
}
