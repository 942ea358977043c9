using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// Tokens signed by <see cref="SigningKey"/> and the two validators that judge them: ours (the stand-alone
/// <see cref="BearerJwtValidator"/>) and Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/>, fed the
/// published key set (<see cref="Jwks.Write(IEnumerable{VerificationKey})"/>) or, for HMAC, the secret.
/// </summary>
internal static class SignedTokens
{
    internal const string OtherIssuer = "https://other-issuer.test";

    // Generating an RSA-2048 key costs up to a second on a shared machine: one generated key per algorithm per run,
    // and one more RSA pair for the factories and ValidatorFixture, imported wherever a test needs an RSA object.
    private static readonly ConcurrentDictionary<string, Lazy<SigningKey>> GeneratedKeys = new(StringComparer.Ordinal);

    private static readonly Lazy<RSAParameters> SharedRsaPair = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportParameters(includePrivateParameters: true);
    });

    /// <summary>The private parameters of an RSA-2048 pair shared by the run (not the pair of any generated key).</summary>
    internal static RSAParameters RsaPair => SharedRsaPair.Value;

    /// <summary>The key <see cref="SigningKey.Generate"/> made for <paramref name="algorithm"/>, once per run.</summary>
    internal static SigningKey Generated(string algorithm) =>
        GeneratedKeys.GetOrAdd(algorithm, alg => new Lazy<SigningKey>(() => SigningKey.Generate(alg))).Value;

    /// <summary>A new RSA object holding <see cref="RsaPair"/>.</summary>
    internal static RSA NewRsa()
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(RsaPair);
        return rsa;
    }

    /// <summary>The named curve an ES* algorithm signs on.</summary>
    internal static ECCurve CurveOf(string algorithm) => algorithm switch
    {
        "ES256" => ECCurve.NamedCurves.nistP256,
        "ES384" => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    };

    /// <summary>The HMAC output size of an HS* algorithm, also its minimum secret length.</summary>
    internal static int HashSizeOf(string algorithm) => algorithm[2..] switch
    {
        "256" => 32,
        "384" => 48,
        _ => 64,
    };

    /// <summary>
    /// A key made by the factory of <paramref name="algorithm"/>'s family from material the test did not generate
    /// through <see cref="SigningKey.Generate"/>: <paramref name="secret"/> or a random one, <see cref="RsaPair"/>, or
    /// a new EC pair.
    /// </summary>
    internal static SigningKey FromFactory(string algorithm, string? keyId, byte[]? secret = null)
    {
        switch (algorithm[0])
        {
            case 'H':
                return SigningKey.Symmetric(secret ?? RandomNumberGenerator.GetBytes(HashSizeOf(algorithm)), algorithm, keyId);
            case 'E':
                using (var ecdsa = ECDsa.Create(CurveOf(algorithm)))
                {
                    return SigningKey.Ecdsa(ecdsa, algorithm, keyId);
                }

            default:
                using (var rsa = NewRsa())
                {
                    return SigningKey.Rsa(rsa, algorithm, keyId);
                }
        }
    }

    /// <summary>
    /// A token signed by <paramref name="key"/> whose header names <paramref name="headerAlgorithm"/> (default: the
    /// key's own) and the key's <c>kid</c>, over a payload valid now: Microsoft's handler reads the system clock.
    /// </summary>
    internal static string Mint(SigningKey key, string issuer = TestJwt.Issuer, string? headerAlgorithm = null)
    {
        var kid = key.KeyId is null ? string.Empty : $",\"kid\":\"{key.KeyId}\"";
        var header = $$"""{"alg":"{{headerAlgorithm ?? key.Algorithm}}","typ":"JWT"{{kid}}}""";
        return TestJwt.Sign(header, TestJwt.Payload(DateTimeOffset.UtcNow, issuer: issuer), input => key.Sign(input));
    }

    /// <summary>Our validator over <paramref name="keys"/>, for <see cref="TestJwt.Audience"/> and the given issuers.</summary>
    internal static BearerJwtValidator Validator(IEnumerable<VerificationKey> keys, params string[] validIssuers) =>
        new(new TokenValidationSettings
        {
            KeyResolver = new StaticKeyResolver(keys),
            ValidIssuers = validIssuers,
            ValidAudiences = [TestJwt.Audience],
        });

    /// <summary>Why our validator over <paramref name="keys"/> (issuer <see cref="TestJwt.Issuer"/>) refuses <paramref name="token"/>, or None.</summary>
    internal static async Task<TokenFailureReason> FailureOf(string token, params VerificationKey[] keys) =>
        (await Validator(keys, TestJwt.Issuer).ValidateAsync(token, TestContext.Current.CancellationToken)).Failure;

    /// <summary>The keys Microsoft's handler gets for <paramref name="key"/>: its published JWKS, or for HMAC <paramref name="secret"/>.</summary>
    internal static IList<SecurityKey> MicrosoftKeysFor(SigningKey key, byte[]? secret = null) =>
        key.KeyType == "oct"
            ? [new SymmetricSecurityKey(secret ?? SecretOf(key.ToVerificationKey())) { KeyId = key.KeyId }]
            : new Microsoft.IdentityModel.Tokens.JsonWebKeySet(Jwks.Write([key.ToVerificationKey()])).GetSigningKeys();

    /// <summary>Microsoft.IdentityModel's verdict on <paramref name="token"/>: issuer, audience, lifetime and signature, only <paramref name="algorithm"/>.</summary>
    internal static async Task<Microsoft.IdentityModel.Tokens.TokenValidationResult> MicrosoftValidateAsync(string token, string algorithm, IList<SecurityKey> keys) =>
        await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = TestJwt.Issuer,
            ValidAudience = TestJwt.Audience,
            ValidAlgorithms = [algorithm],
            IssuerSigningKeys = keys,
            RequireSignedTokens = true,

            // Keys come and go with each test: never reuse a signature provider cached for another test's key.
            CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
        });

    /// <summary>
    /// The secret of an HMAC key, read from the members it would hash for a thumbprint (internal): the only way a
    /// test sees a secret <see cref="SigningKey.Generate"/> made.
    /// </summary>
    internal static byte[] SecretOf(VerificationKey key)
    {
        using var jwk = RequiredMembersOf(key);
        return Base64Url.DecodeFromChars(jwk.RootElement.GetProperty("k").GetString()!);
    }

    /// <summary>The RFC 7638 required members of <paramref name="key"/> as a JSON object (internal; includes an HMAC secret).</summary>
    private static JsonDocument RequiredMembersOf(VerificationKey key)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            key.WriteRequiredMembers(writer);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }
}
