using System.Buffers.Text;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Bearer.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

// A Kestrel host on 127.0.0.1 for bench/load.sh, with the sample's protected endpoint shape (GET /api/me) behind
// either this library's handler or Microsoft's JwtBearer, chosen by argument.
//
//   mint  <dir> <HS256|RS256|ES256>                  creates a key in <dir> and prints a token valid for a day
//   serve <dir> <HS256|RS256|ES256> <bearer|jwtbearer|none> <port> [repeat-token-cache-size]
//
// "none" serves the same endpoint with no authentication at all: the ceiling any handler's requests/s can reach.
//
// Without a cache size, Bearer.Auth runs with its default (BearerJwtDefaults.RepeatTokenCacheSize); 0 turns it off.
const string Issuer = "https://issuer.load";
const string Audience = "api://load";

if (args.Length >= 3 && args[0] == "mint")
{
    Console.WriteLine(Mint(args[1], args[2]));
    return 0;
}

if (args.Length < 5 || args[0] != "serve")
{
    Console.Error.WriteLine("usage: mint <dir> <HS256|RS256|ES256> | serve <dir> <HS256|RS256|ES256> <bearer|jwtbearer|none> <port> [cache-size]");
    return 2;
}

var (directory, algorithm, handler, port) = (args[1], args[2], args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));
var cacheSize = args.Length > 5 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : BearerJwtDefaults.RepeatTokenCacheSize;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
builder.Services.AddAuthorization();
if (handler == "none")
{
    builder.Services.AddAuthentication();
}
else if (handler == "jwtbearer")
{
    builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
    {
        // Claim types kept as the token names them, like ours: the same principal shape, and no URI mapping cost.
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ClockSkew = TimeSpan.FromSeconds(30),
            IssuerSigningKey = MicrosoftKey(directory, algorithm),
            ValidAlgorithms = [algorithm],
            NameClaimType = "name",
            RoleClaimType = "role",
        };
    });
}
else
{
    builder.Services.AddBearerJwt(options =>
    {
        options.ValidIssuer = Issuer;
        options.ValidAudience = Audience;
        options.ClockSkew = TimeSpan.FromSeconds(30);
        options.VerificationKeys.Add(OurKey(directory, algorithm));
        options.RepeatTokenCacheSize = cacheSize;
    });
}

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/health", () => "ok");
var me = app.MapGet("/api/me", (ClaimsPrincipal user) => new Me(user.Identity?.Name, user.FindFirst("sub")?.Value, user.IsInRole("admin")));
if (handler != "none")
{
    me.RequireAuthorization();
}

await app.RunAsync().ConfigureAwait(false);
return 0;

static string Mint(string directory, string algorithm)
{
    Directory.CreateDirectory(directory);
    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    var header = $$"""{"alg":"{{algorithm}}","typ":"JWT","kid":"load"}""";
    var payload = $$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"user-1234","exp":{{now + 86400}},"iat":{{now - 60}},"nbf":{{now - 60}},"jti":"load-1","name":"Ada Lovelace","role":["admin","user"]}""";
    var input = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)));
    byte[] signature;
    if (algorithm == "HS256")
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(Path.Combine(directory, "hs256.key"), Convert.ToBase64String(secret));
        signature = HMACSHA256.HashData(secret, input);
    }
    else if (algorithm == "ES256")
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(directory, "es256.pem"), ecdsa.ExportSubjectPublicKeyInfoPem());
        signature = ecdsa.SignData(input, HashAlgorithmName.SHA256); // IEEE P1363 r||s, as JWS wants
    }
    else
    {
        using var rsa = RSA.Create(2048);
        File.WriteAllText(Path.Combine(directory, "rs256.pem"), rsa.ExportSubjectPublicKeyInfoPem());
        signature = rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    return Encoding.ASCII.GetString(input) + "." + Base64Url.EncodeToString(signature);
}

static VerificationKey OurKey(string directory, string algorithm)
{
    if (algorithm == "HS256")
    {
        return VerificationKey.Symmetric(Convert.FromBase64String(File.ReadAllText(Path.Combine(directory, "hs256.key"))), algorithm, "load");
    }

    if (algorithm == "ES256")
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(Path.Combine(directory, "es256.pem")));
        return VerificationKey.Ecdsa(ecdsa, algorithm, "load");
    }

    using var rsa = RSA.Create();
    rsa.ImportFromPem(File.ReadAllText(Path.Combine(directory, "rs256.pem")));
    return VerificationKey.Rsa(rsa, algorithm, "load");
}

static SecurityKey MicrosoftKey(string directory, string algorithm)
{
    if (algorithm == "HS256")
    {
        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(Path.Combine(directory, "hs256.key")))) { KeyId = "load" };
    }

    if (algorithm == "ES256")
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(Path.Combine(directory, "es256.pem")));
        return new ECDsaSecurityKey(ecdsa) { KeyId = "load" };
    }

    var rsa = RSA.Create();
    rsa.ImportFromPem(File.ReadAllText(Path.Combine(directory, "rs256.pem")));
    return new RsaSecurityKey(rsa) { KeyId = "load" };
}

internal sealed record Me(string? Name, string? Subject, bool Admin);
