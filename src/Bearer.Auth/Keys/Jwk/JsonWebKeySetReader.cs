using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Bearer.Auth;

/// <summary>
/// Reads a JSON Web Key Set (RFC 7517) into <see cref="VerificationKey"/>s. Unusable keys are reported as problems
/// (with their index and <c>kid</c>, never key material) and skipped, so the caller decides whether one bad key
/// fails the whole set (static configuration) or is only logged (a remote set).
/// </summary>
/// <remarks>
/// A JWK with <c>alg</c> verifies exactly that algorithm. One without (RFC 7517 §4.4 makes it optional; Entra ID and
/// node <c>oidc-provider</c> publish RSA keys so) verifies every algorithm of its type: RSA keys RS256/384/512 and
/// PS256/384/512, an EC key its curve's ES*, an <c>oct</c> key the HS* its length is enough for. Each becomes one
/// instance per algorithm (<see cref="VerificationKey.Rebind"/>), so a key still never verifies another type's
/// algorithm: an RSA key never verifies HS256, a P-256 key never ES384.
/// <para>
/// A JWK with <c>x5c</c> states its key twice; RFC 7517 §4.7 requires the first certificate's key to be the JWK's.
/// When they differ one of the two is wrong and nothing says which, so the key is skipped rather than used by its
/// <c>n</c>/<c>e</c> (or <c>x</c>/<c>y</c>) alone; an <c>x5c</c> that is not a certificate is skipped the same way.
/// The chain itself is not validated: the key set's origin is what vouches for its keys.
/// </para>
/// </remarks>
internal static class JsonWebKeySetReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 16,
    };

    private static readonly string[] RsaAlgorithms =
        [JwsAlgorithms.RS256, JwsAlgorithms.RS384, JwsAlgorithms.RS512, JwsAlgorithms.PS256, JwsAlgorithms.PS384, JwsAlgorithms.PS512];

    private static readonly string[] HmacAlgorithms = [JwsAlgorithms.HS256, JwsAlgorithms.HS384, JwsAlgorithms.HS512];

    /// <summary>
    /// The keys (one per JWK and algorithm it verifies), the problems, how many JWKs were usable, and whether the set
    /// is well formed with an empty <c>keys</c> array (a provider publishing no keys, unlike one whose keys are unusable).
    /// </summary>
    internal sealed record Result(IReadOnlyList<VerificationKey> Keys, IReadOnlyList<string> Problems, int UsableJwkCount, bool IsEmptySet = false);

    /// <summary>Reads <paramref name="json"/>; every key is bound to <paramref name="issuer"/>.</summary>
    /// <param name="json">The key set.</param>
    /// <param name="issuer">The issuer the keys are bound to, if any.</param>
    /// <param name="allowSymmetricKeys">Whether <c>oct</c> keys are read or skipped.</param>
    /// <param name="symmetricKeysSetting">The setting that allows <c>oct</c> keys, named when one is skipped.</param>
    internal static Result Read(string json, string? issuer, bool allowSymmetricKeys, string? symmetricKeysSetting = null)
    {
        var keys = new List<VerificationKey>();
        var problems = new List<string>();
        if (JsonText.TryParseUntrusted(json, DocumentOptions) is not { } document)
        {
            problems.Add(NotJsonProblem);
            return new Result(keys, problems, 0);
        }

        var usable = 0;
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keyArray)
                || keyArray.ValueKind != JsonValueKind.Array)
            {
                problems.Add("A JWKS must be an object with a 'keys' array.");
                return new Result(keys, problems, 0);
            }

            if (keyArray.GetArrayLength() == 0)
            {
                return new Result(keys, problems, 0, IsEmptySet: true);
            }

            var seen = new HashSet<(string? Kid, string Alg)>();
            var index = 0;
            foreach (var element in keyArray.EnumerateArray())
            {
                var label = $"Key {index}";
                index++;
                if (element.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{label} is not an object.");
                    continue;
                }

                var kid = GetString(element, "kid");
                if (kid is not null)
                {
                    label += $" (kid '{Printable(kid)}')";
                }

                if (TryCreate(element, kid, issuer, allowSymmetricKeys, symmetricKeysSetting, out var key, out var problem))
                {
                    var added = 0;
                    var implied = !element.TryGetProperty("alg", out _);
                    foreach (var algorithm in AlgorithmsOf(key, explicitAlgorithm: !implied))
                    {
                        // A key already seen for one algorithm is still usable for the others it serves. Keys without
                        // kid are all kept: during a kid-less rotation the old and the new key are both published.
                        if (key.KeyId is null || seen.Add((key.KeyId, algorithm)))
                        {
                            var instance = string.Equals(algorithm, key.Algorithm, StringComparison.Ordinal) ? key : key.Rebind(algorithm, issuer);
                            instance.AlgorithmImplied = implied;
                            keys.Add(instance);
                            added++;
                        }
                    }

                    if (added == 0)
                    {
                        problems.Add($"{label} repeats the kid and alg of an earlier key.");
                        continue;
                    }

                    usable++;
                }
                else if (problem is not null)
                {
                    problems.Add($"{label}: {problem}");
                }
            }
        }

        return new Result(keys, problems, usable);
    }

    /// <summary>The text of the problem reported for a set that is not JSON, so callers can tell it from others.</summary>
    internal const string NotJsonProblem = "The text is not valid JSON (or repeats a member name, or escapes a lone surrogate).";

    /// <summary>The algorithms <paramref name="key"/> verifies: its own when the JWK named one, else its type's.</summary>
    private static IEnumerable<string> AlgorithmsOf(VerificationKey key, bool explicitAlgorithm)
    {
        if (explicitAlgorithm)
        {
            return [key.Algorithm];
        }

        return key switch
        {
            RsaVerificationKey => RsaAlgorithms,
            SymmetricVerificationKey symmetric => HmacAlgorithms.Where(a => JwsAlgorithms.HashSizeOf(a) <= symmetric.KeySize),
            _ => [key.Algorithm],
        };
    }

    private static bool TryCreate(JsonElement jwk, string? kid, string? issuer, bool allowSymmetricKeys, string? symmetricKeysSetting, out VerificationKey key, out string? problem)
    {
        key = null!;
        problem = null;
        var use = GetString(jwk, "use");
        if (use is not null && use != "sig")
        {
            problem = $"'use' is '{Printable(use)}', not 'sig'.";
            return false;
        }

        if (jwk.TryGetProperty("key_ops", out var ops) && !ContainsVerify(ops))
        {
            problem = "'key_ops' does not include 'verify'.";
            return false;
        }

        // A present but malformed alg (null, a number, an array) must not read as "no alg", which widens the key.
        if (jwk.TryGetProperty("alg", out var algMember) && algMember.ValueKind != JsonValueKind.String)
        {
            problem = "'alg' must be a string.";
            return false;
        }

        var alg = GetString(jwk, "alg");
        if (alg is not null && JwsAlgorithms.Find(alg) is null)
        {
            problem = $"'alg' '{Printable(alg)}' is not a supported signature algorithm.";
            return false;
        }

        try
        {
            switch (GetString(jwk, "kty"))
            {
                case "RSA":
                    var modulus = DecodeMember(jwk, "n");
                    var exponent = DecodeMember(jwk, "e");
                    if (modulus is null || exponent is null)
                    {
                        problem = "an RSA key needs base64url 'n' and 'e'.";
                        return false;
                    }

                    problem = CertificateProblem(jwk, "'n'/'e'", certificate => NamesRsaKey(certificate, modulus, exponent));
                    if (problem is not null)
                    {
                        return false;
                    }

                    key = VerificationKey.Rsa(new RSAParameters { Modulus = modulus, Exponent = exponent }, alg ?? JwsAlgorithms.RS256, kid, issuer);
                    return true;

                case "EC":
                    var curve = GetString(jwk, "crv") switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        _ => default(ECCurve?),
                    };
                    var x = DecodeMember(jwk, "x");
                    var y = DecodeMember(jwk, "y");
                    if (curve is null || x is null || y is null)
                    {
                        problem = "an EC key needs 'crv' (P-256, P-384 or P-521) and base64url 'x' and 'y'.";
                        return false;
                    }

                    problem = CertificateProblem(jwk, "'crv'/'x'/'y'", certificate => NamesEcKey(certificate, curve.Value, x, y));
                    if (problem is not null)
                    {
                        return false;
                    }

                    key = VerificationKey.Ecdsa(new ECParameters { Curve = curve.Value, Q = new ECPoint { X = x, Y = y } }, alg, kid, issuer);
                    return true;

                case "oct":
                    if (!allowSymmetricKeys)
                    {
                        problem = symmetricKeysSetting is null
                            ? "symmetric ('oct') keys are not allowed in this key set."
                            : $"symmetric ('oct') key skipped: keys from a remote key set are used only when {symmetricKeysSetting} is true (publishing a shared secret is almost always a mistake).";
                        return false;
                    }

                    if (jwk.TryGetProperty("x5c", out _))
                    {
                        problem = "an 'oct' key cannot have an 'x5c' certificate.";
                        return false;
                    }

                    var secret = DecodeMember(jwk, "k");
                    if (secret is null)
                    {
                        problem = "an 'oct' key needs a base64url 'k'.";
                        return false;
                    }

                    key = VerificationKey.Symmetric(secret, alg ?? JwsAlgorithms.HS256, kid, issuer);
                    return true;

                default:
                    problem = "'kty' must be 'RSA', 'EC' or 'oct'.";
                    return false;
            }
        }
        catch (ArgumentException ex)
        {
            problem = KeyRefusal.Reason(ex) ?? ex.Message;
            return false;
        }
    }

    /// <summary>
    /// Null when the JWK has no <c>x5c</c> or its first certificate names the same key as <paramref name="members"/>;
    /// otherwise why the key is skipped.
    /// </summary>
    private static string? CertificateProblem(JsonElement jwk, string members, Func<X509Certificate2, bool> namesSameKey)
    {
        if (!jwk.TryGetProperty("x5c", out var chain))
        {
            return null;
        }

        if (chain.ValueKind != JsonValueKind.Array || chain.GetArrayLength() == 0 || chain[0].ValueKind != JsonValueKind.String)
        {
            return "'x5c' must be a non-empty array of base64 certificates.";
        }

        try
        {
            // RFC 7517 §4.7: standard base64 (not base64url) of the DER certificate.
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(chain[0].GetString()!));
            return namesSameKey(certificate)
                ? null
                : $"its 'x5c' certificate names a different key than its {members}; one of the two is wrong, so neither is used.";
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return "the first 'x5c' entry is not a base64 X.509 certificate.";
        }
    }

    private static bool NamesRsaKey(X509Certificate2 certificate, byte[] modulus, byte[] exponent)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is null)
        {
            return false;
        }

        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return SameInteger(parameters.Modulus, modulus) && SameInteger(parameters.Exponent, exponent);
    }

    private static bool NamesEcKey(X509Certificate2 certificate, ECCurve curve, byte[] x, byte[] y)
    {
        using var ecdsa = certificate.GetECDsaPublicKey();
        if (ecdsa is null)
        {
            return false;
        }

        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        return parameters.Curve.IsNamed
            && string.Equals(parameters.Curve.Oid.Value, curve.Oid.Value, StringComparison.Ordinal)
            && parameters.Q.X.AsSpan().SequenceEqual(x)
            && parameters.Q.Y.AsSpan().SequenceEqual(y);
    }

    /// <summary>Big-endian unsigned integers compared by value (a leading zero byte changes nothing).</summary>
    private static bool SameInteger(byte[]? a, byte[] b) =>
        a is not null && a.AsSpan().TrimStart((byte)0).SequenceEqual(b.AsSpan().TrimStart((byte)0));

    private static bool ContainsVerify(JsonElement ops)
    {
        if (ops.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var op in ops.EnumerateArray())
        {
            if (op.ValueKind == JsonValueKind.String && op.ValueEquals("verify"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A remote key set is untrusted text: what of it goes into a message (and so a log line) is sanitized.</summary>
    private static string Printable(string value) => LogText.Printable(value, maxLength: 64);

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? DecodeMember(JsonElement element, string name)
    {
        var text = GetString(element, name);
        return text is null ? null : StrictBase64Url.DecodeToArray(text);
    }
}
