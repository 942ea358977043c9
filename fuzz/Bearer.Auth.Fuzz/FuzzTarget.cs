using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bearer.Auth.Fuzz;

/// <summary>
/// What AFL++ drives and the regression tests replay: one input in, one outcome out, or an exception when the library
/// broke a promise. The first byte (its low two bits) chooses how the rest is read, so one corpus reaches every layer:
/// <list type="bullet">
/// <item><c>0</c> <see cref="Mode.Token"/>: the rest, as UTF-8, is the token given to the validator.</item>
/// <item><c>1</c> <see cref="Mode.SignedJson"/>: the rest is header JSON, a NUL byte, payload JSON; the harness
/// encodes and signs them (HS256), so mutations reach the JSON, claim and mapping code behind the signature check.</item>
/// <item><c>2</c> <see cref="Mode.Latin1Token"/>: the rest, one char per byte, is the token: every char up to U+00FF,
/// including the ones invalid UTF-8 would have turned into U+FFFD.</item>
/// <item><c>3</c> <see cref="Mode.KeySet"/>: the rest, as UTF-8, is a JSON Web Key Set given to <see cref="Jwks.Parse"/>.</item>
/// </list>
/// Promises checked on every input (a broken one throws <see cref="FuzzFindingException"/>): validation returns a
/// result and never throws; it completes synchronously (static keys); it allocates within a budget linear in the input;
/// an accepted token's signature verifies independently (the BCL, lenient base64url) over canonical segments, with
/// the issuer, audience and lifetime the settings demand; a signed payload is read back byte for byte and maps to
/// claims; <c>member_duplicate</c> only for JSON System.Text.Json also finds a duplicate in; key sets fail with
/// <see cref="ArgumentException"/> only.
/// </summary>
internal static class FuzzTarget
{
    /// <summary>How the input after the first byte is read.</summary>
    internal enum Mode
    {
        /// <summary>UTF-8 token text.</summary>
        Token = 0,

        /// <summary>Header JSON, NUL, payload JSON, signed by the harness.</summary>
        SignedJson = 1,

        /// <summary>Token text, one char per byte.</summary>
        Latin1Token = 2,

        /// <summary>A JSON Web Key Set.</summary>
        KeySet = 3,
    }

    // Budgets with headroom over the seed corpus (fuzz/README.md): validation allocated 576–1,960 bytes per seed (the
    // most for ES256), mapping a few KB, a key set tens of KB per RSA key; anything superlinear breaks them first.
    // Malformed JSON costs more: Utf8JsonReader reports it by throwing, the exception's stack trace grows with the
    // nesting depth (bounded at 64): 10,440 bytes for an error 60 levels deep; and its message quotes an invalid
    // literal whole: 104,792 bytes for an 8,900-byte `"typ":ffff…` (about 11 per input byte, linear, capped by
    // MaxTokenSize).
    private const long ValidationFixedBudget = 24 * 1024;
    private const long ValidationBytesPerInputByte = 16;
    private const long MappingFixedBudget = 32 * 1024;
    private const long MappingBytesPerInputByte = 48;
    private const long KeySetFixedBudget = 256 * 1024;
    private const long KeySetBytesPerInputByte = 64;

    private static readonly RSA Rsa = FuzzKeys.CreateRsa();
    private static readonly ECDsa Ecdsa = FuzzKeys.CreateEcdsa();
    private static readonly BearerJwtValidator Validator = CreateValidator();
    private static readonly JwtClaimsMapper Mapper = new(roleClaimPaths: ["roles", "realm_access.roles"]);

    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    // First calls load types and fill lazy caches; the budgets are for the steady state each input runs in.
    private static readonly int WarmedUp = WarmUp();

    /// <summary>Runs one input; returns a short outcome (for logs and tests).</summary>
    /// <exception cref="FuzzFindingException">The library broke one of the promises above.</exception>
    internal static string Run(ReadOnlySpan<byte> input)
    {
        // Reading a static field here runs the type initializer (and its warm-up) now, not inside a measured call.
        if (WarmedUp < 0 || input.IsEmpty)
        {
            return "empty";
        }

        var rest = input[1..];
        return (Mode)(input[0] & 3) switch
        {
            Mode.Token => ValidateText(Encoding.UTF8.GetString(rest), rest.Length),
            Mode.SignedJson => ValidateSigned(rest),
            Mode.Latin1Token => ValidateText(Encoding.Latin1.GetString(rest), rest.Length),
            _ => ReadKeySet(Encoding.UTF8.GetString(rest), rest.Length),
        };
    }

    /// <summary>Signs <paramref name="header"/> and <paramref name="payload"/> as <see cref="Mode.SignedJson"/> does.</summary>
    internal static string SignHs256(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var signature = HMACSHA256.HashData(FuzzKeys.HmacSecret, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Signs with the harness's RSA or ECDSA key, for seeds.</summary>
    internal static string SignAsymmetric(string algorithm, ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var bytes = Encoding.ASCII.GetBytes(signingInput);
        var signature = algorithm switch
        {
            "RS256" => Rsa.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "PS256" => Rsa.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "ES256" => Ecdsa.SignData(bytes, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException($"The harness has no {algorithm} key.", nameof(algorithm)),
        };
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static int WarmUp()
    {
        var count = 0;
        foreach (var seed in SeedCorpus.Create(vectorsDirectory: null))
        {
            try
            {
                Run(seed.Input);
            }
            catch (FuzzFindingException)
            {
                // Reported when the seed itself runs; warming up only needs the code paths taken.
            }

            count++;
        }

        return count;
    }

    private static BearerJwtValidator CreateValidator() => new(new TokenValidationSettings
    {
        KeyResolver = new StaticKeyResolver(
        [
            VerificationKey.Symmetric(FuzzKeys.HmacSecret, JwsAlgorithms.HS256, "hs"),
            VerificationKey.Rsa(Rsa, JwsAlgorithms.RS256, "rs"),
            VerificationKey.Rsa(Rsa, JwsAlgorithms.PS256, "ps"),
            VerificationKey.Ecdsa(Ecdsa, JwsAlgorithms.ES256, "es"),
        ]),
        ValidIssuers = [FuzzKeys.Issuer],
        ValidAudiences = [FuzzKeys.Audience],
        ValidAlgorithms = [JwsAlgorithms.HS256, JwsAlgorithms.RS256, JwsAlgorithms.PS256, JwsAlgorithms.ES256],
        TimeProvider = new FuzzTimeProvider(),

        // Off: a cache would carry state from one input to the next, and a finding must reproduce on its own.
        RepeatTokenCacheSize = 0,
    });

    private static string ValidateText(string token, int inputLength)
    {
        var result = Validate(token, inputLength);
        if (result.Succeeded)
        {
            CheckAcceptedIndependently(token);
            MapClaims(result.Token!, inputLength);
        }

        return "token: " + Outcome(result);
    }

    private static string ValidateSigned(ReadOnlySpan<byte> rest)
    {
        var separator = rest.IndexOf((byte)0);
        ReadOnlySpan<byte> header = separator < 0 ? """{"alg":"HS256","typ":"JWT","kid":"hs"}"""u8 : rest[..separator];
        var payload = separator < 0 ? rest : rest[(separator + 1)..];
        var token = SignHs256(header, payload);

        var result = Validate(token, token.Length);
        if (result.Succeeded)
        {
            CheckAcceptedIndependently(token);
            if (!result.Token!.Payload.Span.SequenceEqual(payload))
            {
                throw new FuzzFindingException("The validated payload differs from the signed payload.");
            }

            MapClaims(result.Token, token.Length);
        }
        else if (result.Failure == TokenFailureReason.MemberDuplicate && IsCleanJson(header) && IsCleanJson(payload))
        {
            // JSON with a syntax error after a duplicate is refused for the duplicate (the first problem read): only
            // well-formed JSON without duplicates, by System.Text.Json's reading, must never be called a duplicate.
            throw new FuzzFindingException("member_duplicate for JSON in which System.Text.Json finds no duplicate member.");
        }

        return "signed: " + Outcome(result);
    }

    private static TokenValidationResult Validate(string token, int inputLength)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var pending = Validator.ValidateAsync(token);
        if (!pending.IsCompleted)
        {
            throw new FuzzFindingException("Validation against static keys did not complete synchronously.");
        }

        var result = pending.Result;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        CheckBudget("Validation", allocated, ValidationFixedBudget + (ValidationBytesPerInputByte * inputLength));
        return result;
    }

    private static void MapClaims(ValidatedToken token, int inputLength)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var identity = Mapper.CreateIdentity(token, "Bearer");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        CheckBudget("Claims mapping", allocated, MappingFixedBudget + (MappingBytesPerInputByte * inputLength));

        using var payload = JsonDocument.Parse(token.Payload, StrictJson);
        if (payload.RootElement.TryGetProperty("sub", out var subject) && subject.ValueKind == JsonValueKind.String
            && identity.FindFirst("sub")?.Value != subject.GetString())
        {
            throw new FuzzFindingException("The mapped sub differs from the payload's.");
        }

        _ = new ClaimsPrincipal(identity).IsInRole("admin");
    }

    /// <summary>
    /// Verifies an accepted token with nothing of ours: split on dots, the BCL's (lenient) base64url, canonical
    /// re-encoding, the signature by the key the header's <c>alg</c> names, and the claims the settings require.
    /// </summary>
    internal static void CheckAcceptedIndependently(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw new FuzzFindingException($"Accepted a token of {parts.Length} segments.");
        }

        byte[] header;
        byte[] payload;
        byte[] signature;
        try
        {
            header = Base64Url.DecodeFromChars(parts[0]);
            payload = Base64Url.DecodeFromChars(parts[1]);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException e)
        {
            throw new FuzzFindingException("Accepted a token the BCL cannot decode: " + e.Message, e);
        }

        if (Base64Url.EncodeToString(header) != parts[0] || Base64Url.EncodeToString(payload) != parts[1]
            || Base64Url.EncodeToString(signature) != parts[2])
        {
            throw new FuzzFindingException("Accepted a token with a non-canonical segment.");
        }

        using var headerJson = ParseOrFind(header, "header");
        var algorithm = headerJson.RootElement.GetProperty("alg").GetString();
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var verified = algorithm switch
        {
            "HS256" => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(FuzzKeys.HmacSecret, input), signature),
            "RS256" => Rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "PS256" => Rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "ES256" => Ecdsa.VerifyData(input, signature, HashAlgorithmName.SHA256),
            _ => false,
        };
        if (!verified)
        {
            throw new FuzzFindingException($"Accepted a token whose {algorithm} signature does not verify.");
        }

        using var claims = ParseOrFind(payload, "payload");
        CheckRequiredClaims(claims.RootElement);
    }

    private static void CheckRequiredClaims(JsonElement claims)
    {
        if (!claims.TryGetProperty("iss", out var issuer) || issuer.ValueKind != JsonValueKind.String || issuer.GetString() != FuzzKeys.Issuer)
        {
            throw new FuzzFindingException("Accepted a token without the configured iss.");
        }

        if (!claims.TryGetProperty("aud", out var audience) || !NamesAudience(audience))
        {
            throw new FuzzFindingException("Accepted a token without the configured aud.");
        }

        // Skew 30 s (the default); NumericDate may be a fraction, so compare as the number the JSON says.
        var now = FuzzTimeProvider.Now.ToUnixTimeSeconds();
        if (!claims.TryGetProperty("exp", out var expires) || expires.ValueKind != JsonValueKind.Number || !(expires.GetDouble() > now - 30))
        {
            throw new FuzzFindingException("Accepted a token whose exp is missing, not a number, or past.");
        }

        if (claims.TryGetProperty("nbf", out var notBefore) && (notBefore.ValueKind != JsonValueKind.Number || !(notBefore.GetDouble() <= now + 30)))
        {
            throw new FuzzFindingException("Accepted a token whose nbf is not a number or in the future.");
        }

        // The differential suite found this one (nbf after exp, both within the skew): a token never valid.
        if (notBefore.ValueKind == JsonValueKind.Number && notBefore.GetDouble() > expires.GetDouble())
        {
            throw new FuzzFindingException("Accepted a token whose nbf is after its exp.");
        }
    }

    private static bool NamesAudience(JsonElement audience)
    {
        if (audience.ValueKind == JsonValueKind.String)
        {
            return audience.GetString() == FuzzKeys.Audience;
        }

        if (audience.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in audience.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() == FuzzKeys.Audience)
            {
                return true;
            }
        }

        return false;
    }

    private static JsonDocument ParseOrFind(byte[] json, string segment)
    {
        try
        {
            return JsonDocument.Parse(json, StrictJson);
        }
        catch (JsonException e)
        {
            throw new FuzzFindingException($"Accepted a token whose {segment} System.Text.Json refuses: {e.Message}", e);
        }
    }

    /// <summary>Whether System.Text.Json reads <paramref name="json"/> as well-formed, with no member name twice in an object.</summary>
    private static bool IsCleanJson(ReadOnlySpan<byte> json)
    {
        try
        {
            using (JsonDocument.Parse(json.ToArray(), StrictJson))
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string ReadKeySet(string json, int inputLength)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        string outcome;
        try
        {
            var keys = Jwks.Parse(json, FuzzKeys.Issuer, allowSymmetricKeys: true);
            outcome = string.Create(CultureInfo.InvariantCulture, $"keyset: {keys.Count} keys");
        }
        catch (ArgumentException)
        {
            outcome = "keyset: refused";
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        CheckBudget("Key set reading", allocated, KeySetFixedBudget + (KeySetBytesPerInputByte * inputLength));
        return outcome;
    }

    private static void CheckBudget(string what, long allocated, long budget)
    {
        if (allocated > budget)
        {
            throw new FuzzFindingException(string.Create(
                CultureInfo.InvariantCulture, $"{what} allocated {allocated:N0} bytes, over its budget of {budget:N0}."));
        }
    }

    private static string Outcome(TokenValidationResult result) =>
        result.Succeeded ? "accepted" : result.Failure.ToString();
}
