using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Keys.Ring;

/// <summary>Rings on a short schedule (a day per key, an hour's lead, 30 minutes' retention) and what tests need around them.</summary>
internal static class KeyRings
{
    internal static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    internal static readonly TimeSpan Rotation = TimeSpan.FromDays(1);
    internal static readonly TimeSpan Lead = TimeSpan.FromHours(1);
    internal static readonly TimeSpan Retention = TimeSpan.FromMinutes(30);
    internal static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);

    internal static BearerJwtKeyRingOptions Options(string algorithm = JwsAlgorithms.ES256) => new()
    {
        Algorithm = algorithm,
        RotationInterval = Rotation,
        PublicationLead = Lead,
        RetentionAfterRetirement = Retention,
        RefreshInterval = Refresh,
    };

    internal static SigningKeyRing Ring(ISigningKeyStore store, TimeProvider time, BearerJwtKeyRingOptions? options = null) =>
        new(store, options ?? Options(), time);

    /// <summary>An issuer signing with <paramref name="ring"/>: 15-minute tokens of <see cref="TestJwt.Issuer"/>.</summary>
    internal static BearerJwtTokenIssuer Issuer(SigningKeyRing ring, TimeProvider time) => new(
        new BearerJwtIssuerOptions
        {
            Issuer = TestJwt.Issuer,
            Audiences = { TestJwt.Audience },
            SigningKeyRing = ring,
            AccessTokenLifetime = TimeSpan.FromMinutes(15),
        },
        time);

    /// <summary>A validator whose keys are <paramref name="ring"/>'s, bound to <see cref="TestJwt.Issuer"/>.</summary>
    internal static BearerJwtValidator Validator(SigningKeyRing ring, TimeProvider time) => new(new TokenValidationSettings
    {
        KeyResolver = ring.CreateKeyResolver(TestJwt.Issuer),
        ValidIssuers = [TestJwt.Issuer],
        ValidAudiences = [TestJwt.Audience],
        TimeProvider = time,
    });

    internal static FakeTimeProvider Clock() => new(Start);

    /// <summary>The <c>kid</c>s of the published keys.</summary>
    internal static string[] PublishedKeyIds(SigningKeyRing ring) => [.. ring.GetPublishedKeys().Select(k => k.KeyId!)];

    /// <summary>A token's <c>kid</c>, read from its header.</summary>
    internal static string KeyIdOf(string token)
    {
        var header = System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(0, token.IndexOf('.', StringComparison.Ordinal))));
        return header.RootElement.GetProperty("kid").GetString()!;
    }
}
