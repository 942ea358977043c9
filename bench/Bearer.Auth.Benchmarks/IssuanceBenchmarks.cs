using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// Paired measurement of issuance (<see cref="PairedSampler"/>): <c>dotnet Bearer.Auth.Benchmarks.dll issue
/// [rounds]</c>. Per algorithm: <c>Floor</c> (the BCL signing the bytes of one of our tokens' signing input with the
/// same key: HMACSHA256.HashData, RSA.TrySignData, ECDsa.TrySignData), <c>Ours</c> (<see cref="BearerJwtTokenIssuer.Issue"/>,
/// the request built per call) and <c>Microsoft</c> (<see cref="JsonWebTokenHandler.CreateToken(SecurityTokenDescriptor)"/>,
/// the descriptor built per call): the same claims (iss, aud, sub, jti, iat, nbf, exp, sid, two
/// roles, name) and header (alg, typ at+jwt, kid). Each path's output is checked once against our validator first.
/// </summary>
public static class IssuanceBenchmarks
{
    private const string Issuer = "https://issuer.bench";
    private const string Audience = "api://bench";
    private static readonly string[] Roles = ["admin", "user"];

    public static void Run(int rounds)
    {
        Console.WriteLine($"issue: {rounds} rounds per algorithm, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine("| alg | case | median ns/op | min ns/op | ratio to floor (medians) | ratio to Microsoft (medians) | B/op |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var algorithm in new[] { "HS256", "RS256", "ES256" })
        {
            RunAlgorithm(algorithm, rounds);
        }
    }

    private static void RunAlgorithm(string algorithm, int rounds)
    {
        using var rsa = algorithm[0] == 'R' ? RSA.Create(2048) : null;
        using var ecdsa = algorithm[0] == 'E' ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        var secret = algorithm[0] == 'H' ? RandomNumberGenerator.GetBytes(32) : null;
        var key = algorithm[0] switch
        {
            'H' => SigningKey.Symmetric(secret, algorithm, "bench"),
            'R' => SigningKey.Rsa(rsa!, algorithm, "bench"),
            _ => SigningKey.Ecdsa(ecdsa!, algorithm, "bench"),
        };
        SecurityKey microsoftKey = algorithm[0] switch
        {
            'H' => new SymmetricSecurityKey(secret) { KeyId = "bench" },
            'R' => new RsaSecurityKey(rsa!) { KeyId = "bench" },
            _ => new ECDsaSecurityKey(ecdsa!) { KeyId = "bench" },
        };
        var credentials = new SigningCredentials(microsoftKey, algorithm);
        var issuer = new BearerJwtTokenIssuer(new BearerJwtIssuerOptions { Issuer = Issuer, Audiences = [Audience], SigningKey = key });
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };

        var sample = issuer.Issue(Request()).Token;
        var signingInput = Encoding.ASCII.GetBytes(sample[..sample.LastIndexOf('.')]);
        var signature = new byte[key.SignatureSize];
        Func<bool> floor = algorithm[0] switch
        {
            'H' => () => HMACSHA256.HashData(secret, signingInput, signature) == 32,
            'R' => () => rsa!.TrySignData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out var written) && written == 256,
            _ => () => ecdsa!.TrySignData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out var written) && written == 64,
        };

        var validator = new BearerJwtValidator(new TokenValidationSettings
        {
            KeyResolver = new StaticKeyResolver([key.ToVerificationKey(Issuer)]),
            ValidIssuers = [Issuer],
            ValidAudiences = [Audience],
        });
        BenchSetup.Check(BenchSetup.Wait(validator.ValidateAsync(sample)).Succeeded, "Ours");
        BenchSetup.Check(BenchSetup.Wait(validator.ValidateAsync(handler.CreateToken(Descriptor(credentials)))).Succeeded, "Microsoft");

        // The judged rows time the issuing call on a prepared input, for both libraries alike: our request is reused
        // (it holds no time or id), Microsoft's descriptor gets this call's times and jti. The _Built rows also build
        // the input each call, as a login endpoint would.
        var request = Request();
        var descriptor = Descriptor(credentials);
        var cases = new (string Name, Func<bool> Call)[]
        {
            ("Floor", floor),
            ("Ours", () => issuer.Issue(request).Token.Length > 0),
            ("Microsoft", () => handler.CreateToken(Refresh(descriptor)).Length > 0),
            ("Ours_Built", () => issuer.Issue(Request()).Token.Length > 0),
            ("Microsoft_Built", () => handler.CreateToken(Descriptor(credentials)).Length > 0),
        };

        // Aim for batches of roughly 50-100 µs of the floor.
        var batch = algorithm[0] switch { 'H' => 40, 'E' => 2, _ => 1 };
        PairedSampler.WarmUp(cases, TimeSpan.FromMilliseconds(1500));
        var samples = PairedSampler.Sample(cases, rounds, batch, GC.GetAllocatedBytesForCurrentThread);

        var floorMedian = samples[0].MedianNanoseconds;
        var microsoftMedian = samples[2].MedianNanoseconds;
        for (var c = 0; c < cases.Length; c++)
        {
            var (median, min, bytesPerCall) = samples[c];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {algorithm} | {cases[c].Name} | {median:N0} | {min:N0} | {median / floorMedian:F3} | {median / microsoftMedian:F3} | {bytesPerCall:N0} |"));
        }
    }

    private static AccessTokenRequest Request() =>
        new AccessTokenRequest("user-1") { SessionId = "session-1", Roles = Roles }.AddClaim("name", "Alice");

    private static SecurityTokenDescriptor Refresh(SecurityTokenDescriptor descriptor)
    {
        var now = DateTime.UtcNow;
        descriptor.IssuedAt = now;
        descriptor.NotBefore = now;
        descriptor.Expires = now.AddMinutes(15);
        descriptor.Claims["jti"] = Guid.NewGuid().ToString();
        return descriptor;
    }

    private static SecurityTokenDescriptor Descriptor(SigningCredentials credentials)
    {
        var now = DateTime.UtcNow;
        return new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(15),
            TokenType = "at+jwt",
            SigningCredentials = credentials,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["sub"] = "user-1",
                ["jti"] = Guid.NewGuid().ToString(), // the usual .NET idiom; our jti is 128 CSPRNG bits, buffered
                ["sid"] = "session-1",
                ["role"] = Roles,
                ["name"] = "Alice",
            },
        };
    }
}
