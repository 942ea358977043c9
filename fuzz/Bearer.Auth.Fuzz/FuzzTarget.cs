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
    // Malformed JSON costs more, so token_malformed has its own budget: Utf8JsonReader reports it by throwing, the
    // stack trace grows with the nesting depth (bounded at 64), 10,440 bytes for an error 60 levels deep; and the
    // message quotes an invalid literal whole, 104,792 bytes for an 8,900-byte `"typ":ffff…` (6–11 per input byte,
    // linear, capped by MaxTokenSize). Every other outcome stays within 4 bytes per input char over a fixed part: a
    // refused 8,346-char token with a 6,000-byte member name allocated 25,368 bytes once and less on the next run (a
    // pooled buffer is allocated only when the pool has none), so 2 per char flagged the pool, not the code; the
    // precise per-shape bounds are the Bounds tests' (tests/Bearer.Auth.Tests/Bounds), this is the net for the rest.
    private const long ValidationFixedBudget = 16 * 1024;
    private const long ValidationBytesPerInputByte = 4;
    private const long MalformedFixedBudget = 24 * 1024;
    private const long MalformedBytesPerInputByte = 16;
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
            IndependentCheck.Verify(token);
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
            IndependentCheck.Verify(token);
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
        var budget = result.Failure == TokenFailureReason.TokenMalformed
            ? MalformedFixedBudget + (MalformedBytesPerInputByte * inputLength)
            : ValidationFixedBudget + (ValidationBytesPerInputByte * inputLength);
        CheckBudget("Validation (" + Outcome(result) + ")", allocated, budget);
        return result;
    }

    private static void MapClaims(ValidatedToken token, int inputLength)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var identity = Mapper.CreateIdentity(token, "Bearer");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        CheckBudget("Claims mapping", allocated, MappingFixedBudget + (MappingBytesPerInputByte * inputLength));

        using var payload = JsonDocument.Parse(token.Payload, StrictJson);
        // By exact type: ClaimsIdentity.FindFirst compares types ignoring case, so a "Sub" claim before "sub" would be
        // found first (AFL++ run 3; the mapper keeps both, each under its own name).
        if (payload.RootElement.TryGetProperty("sub", out var subject) && subject.ValueKind == JsonValueKind.String
            && ExactClaim(identity, "sub") != subject.GetString())
        {
            throw new FuzzFindingException("The mapped sub differs from the payload's.");
        }

        _ = new ClaimsPrincipal(identity).IsInRole("admin");
    }

    private static string? ExactClaim(ClaimsIdentity identity, string type)
    {
        foreach (var claim in identity.Claims)
        {
            if (string.Equals(claim.Type, type, StringComparison.Ordinal))
            {
                return claim.Value;
            }
        }

        return null;
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
