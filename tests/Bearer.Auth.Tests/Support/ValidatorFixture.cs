using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Support;

/// <summary>A validator over freshly generated keys of every kind, with a fake clock at a fixed instant.</summary>
internal sealed class ValidatorFixture : IDisposable
{
    internal static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    internal ValidatorFixture(Action<BearerJwtOptions>? configure = null)
    {
        HmacKey = RandomNumberGenerator.GetBytes(32);
        Rsa = SignedTokens.NewRsa(); // the run's one RSA-2048 pair: generating one costs up to a second
        Ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Time = new FakeTimeProvider(Now);
        Options = new BearerJwtOptions { ValidIssuer = TestJwt.Issuer, ValidAudience = TestJwt.Audience };
        VerificationKey[] defaultKeys =
        [
            VerificationKey.Symmetric(HmacKey, JwsAlgorithms.HS256, keyId: "hs"),
            VerificationKey.Rsa(Rsa, JwsAlgorithms.RS256, keyId: "rs"),
            VerificationKey.Ecdsa(Ecdsa, keyId: "es"),
        ];
        foreach (var key in defaultKeys)
        {
            Options.VerificationKeys.Add(key);
        }

        configure?.Invoke(Options);

        // A test that sets a resolver validates with that resolver: the scheme would ask it together with the
        // configured keys, so the fixture's own keys step aside (keys the test added itself stay).
        if (Options.KeyResolver is not null)
        {
            foreach (var key in defaultKeys)
            {
                Options.VerificationKeys.Remove(key);
            }
        }

        Validator = TestValidators.From(Options, Time);
    }

    internal byte[] HmacKey { get; }

    internal RSA Rsa { get; }

    internal ECDsa Ecdsa { get; }

    internal FakeTimeProvider Time { get; }

    internal BearerJwtOptions Options { get; }

    internal BearerJwtValidator Validator { get; }

    internal string ValidPayload(string? extra = null) => TestJwt.Payload(Now, extra);

    internal async Task<TokenFailureReason> FailureOf(string token) =>
        (await Validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure;

    public void Dispose()
    {
        Rsa.Dispose();
        Ecdsa.Dispose();
    }
}
