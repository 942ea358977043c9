using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// One algorithm's keys and one token, shared by every benchmark so ours, Microsoft's and the floor all see the same
/// bytes: header <c>{"alg","typ","kid"}</c> and a typical access-token payload (iss, aud, sub, exp, iat, nbf, jti,
/// name, two roles), valid for a day from now on the real clock.
/// </summary>
public sealed class BenchTokens : IDisposable
{
    public const string Issuer = "https://issuer.bench";
    public const string Audience = "api://bench";
    public const string KeyId = "k1";

    private readonly byte[]? _hmacKey;
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    private BenchTokens(string algorithm, byte[]? hmacKey, RSA? rsa, ECDsa? ecdsa, string jti)
    {
        Algorithm = algorithm;
        _hmacKey = hmacKey;
        _rsa = rsa;
        _ecdsa = ecdsa;
        Token = Mint(jti);
        OurKey = algorithm[0] switch
        {
            'H' => VerificationKey.Symmetric(hmacKey!, algorithm, KeyId),
            'E' => VerificationKey.Ecdsa(ecdsa!, algorithm, KeyId),
            _ => VerificationKey.Rsa(rsa!, algorithm, KeyId),
        };
        MicrosoftKey = algorithm[0] switch
        {
            'H' => new SymmetricSecurityKey(hmacKey!) { KeyId = KeyId },
            'E' => new ECDsaSecurityKey(PublicOnly(ecdsa!)) { KeyId = KeyId },
            _ => new RsaSecurityKey(rsa!.ExportParameters(false)) { KeyId = KeyId },
        };
        Floor = CreateFloor();
    }

    public string Algorithm { get; }

    public string Token { get; }

    public VerificationKey OurKey { get; }

    public SecurityKey MicrosoftKey { get; }

    /// <summary>The BCL floor for this algorithm: decode + verify + one Utf8JsonReader pass over the payload.</summary>
    public Func<string, bool> Floor { get; }

    public static BenchTokens Create(string algorithm) => algorithm switch
    {
        "HS256" => new BenchTokens(algorithm, RandomNumberGenerator.GetBytes(32), null, null, "jti-0"),
        "RS256" or "PS256" => new BenchTokens(algorithm, null, RSA.Create(2048), null, "jti-0"),
        "ES256" => new BenchTokens(algorithm, null, null, ECDsa.Create(ECCurve.NamedCurves.nistP256), "jti-0"),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not benchmarked."),
    };

    /// <summary>Mints another token with the same key and claims but a different <c>jti</c>.</summary>
    public string Mint(string jti)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = $$"""{"alg":"{{Algorithm}}","typ":"JWT","kid":"{{KeyId}}"}""";
        var payload = $$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"user-1234","exp":{{now + 86400}},"iat":{{now - 60}},"nbf":{{now - 60}},"jti":"{{jti}}","name":"Ada Lovelace","role":["admin","user"]}""";
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = Algorithm switch
        {
            "HS256" => HMACSHA256.HashData(_hmacKey!, data),
            "RS256" => _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "PS256" => _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            _ => _ecdsa!.SignData(data, HashAlgorithmName.SHA256),
        };
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }

    private static ECDsa PublicOnly(ECDsa ecdsa)
    {
        var copy = ECDsa.Create();
        copy.ImportParameters(ecdsa.ExportParameters(false));
        return copy;
    }

    private Func<string, bool> CreateFloor()
    {
        switch (Algorithm)
        {
            case "HS256":
                var key = _hmacKey!;
                return token => FloorCore(token, (input, signature) =>
                {
                    Span<byte> mac = stackalloc byte[32];
                    HMACSHA256.HashData(key, input, mac);
                    return CryptographicOperations.FixedTimeEquals(mac, signature);
                });
            case "RS256":
            case "PS256":
                var rsa = RSA.Create();
                rsa.ImportParameters(_rsa!.ExportParameters(false));
                var padding = Algorithm == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                return token => FloorCore(token, (input, signature) => rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, padding));
            default:
                var ecdsa = PublicOnly(_ecdsa!);
                return token => FloorCore(token, (input, signature) => ecdsa.VerifyData(input, signature, HashAlgorithmName.SHA256));
        }
    }

    private delegate bool Verifier(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature);

    /// <summary>
    /// What no validator can skip: base64url-decode the signature, verify it over the ASCII signing input, decode the
    /// payload and read exp/nbf/iss/aud with one Utf8JsonReader pass. No header checks, no type checks, no policy.
    /// </summary>
    private static bool FloorCore(string token, Verifier verify)
    {
        var span = token.AsSpan();
        var firstDot = span.IndexOf('.');
        var secondDot = span.LastIndexOf('.');
        Span<byte> signature = stackalloc byte[512];
        if (!Base64Url.TryDecodeFromChars(span[(secondDot + 1)..], signature, out var signatureLength))
        {
            return false;
        }

        Span<byte> input = stackalloc byte[2048];
        var inputLength = Encoding.ASCII.GetBytes(span[..secondDot], input);
        if (!verify(input[..inputLength], signature[..signatureLength]))
        {
            return false;
        }

        Span<byte> payload = stackalloc byte[1024];
        if (!Base64Url.TryDecodeFromChars(span[(firstDot + 1)..secondDot], payload, out var payloadLength))
        {
            return false;
        }

        var reader = new Utf8JsonReader(payload[..payloadLength]);
        double exp = 0;
        double nbf = 0;
        var issuerOk = false;
        var audienceOk = false;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("exp"u8))
            {
                reader.Read();
                reader.TryGetDouble(out exp);
            }
            else if (reader.ValueTextEquals("nbf"u8))
            {
                reader.Read();
                reader.TryGetDouble(out nbf);
            }
            else if (reader.ValueTextEquals("iss"u8))
            {
                reader.Read();
                issuerOk = reader.ValueTextEquals(Issuer);
            }
            else if (reader.ValueTextEquals("aud"u8))
            {
                reader.Read();
                audienceOk = reader.ValueTextEquals(Audience);
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        return issuerOk && audienceOk && exp > nbf;
    }
}
