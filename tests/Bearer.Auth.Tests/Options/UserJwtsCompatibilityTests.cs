using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bearer.Auth.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bearer.Auth.Tests.Options;

/// <summary>
/// A token shaped exactly like one from <c>dotnet user-jwts create</c> authenticates with nothing but the
/// configuration that tool writes to user secrets.
/// </summary>
public sealed class UserJwtsCompatibilityTests
{
    private const string UserJwtsIssuer = "dotnet-user-jwts";

    private static readonly byte[] VerificationKey = SHA256.HashData("dotnet-user-jwts signing key"u8);

    /// <summary>What <c>dotnet user-jwts create</c> writes (with two audiences from launchSettings).</summary>
    private static Dictionary<string, string?> UserSecrets() => new()
    {
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = "http://localhost:5000",
        ["Authentication:Schemes:Bearer:ValidAudiences:1"] = "https://localhost:5001",
        ["Authentication:Schemes:Bearer:ValidIssuer"] = UserJwtsIssuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Id"] = "7fd45e17",
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = UserJwtsIssuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(VerificationKey),
        ["Authentication:Schemes:Bearer:SigningKeys:0:Length"] = "32",
    };

    /// <summary>
    /// Mints what the tool mints: HS256, <c>typ</c> JWT, no <c>kid</c>; <c>unique_name</c>, <c>sub</c>, <c>jti</c>,
    /// <c>scope</c> and <c>role</c> (arrays when repeated), <c>nbf</c>/<c>exp</c>/<c>iat</c>, <c>iss</c> and an
    /// <c>aud</c> array.
    /// </summary>
    private static string CreateUserJwtsToken(string[] roles, string[] scopes)
    {
        var claims = new Dictionary<string, object>
        {
            ["unique_name"] = "alice",
            ["sub"] = "alice",
            ["jti"] = "e3b0c442",
            ["aud"] = new[] { "http://localhost:5000", "https://localhost:5001" },
        };
        if (scopes.Length > 0)
        {
            claims["scope"] = scopes.Length == 1 ? scopes[0] : scopes;
        }

        if (roles.Length > 0)
        {
            claims["role"] = roles.Length == 1 ? roles[0] : roles;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = UserJwtsIssuer,
            Claims = claims,
            NotBefore = PipelineHost.Now.UtcDateTime.AddMinutes(-1),
            IssuedAt = PipelineHost.Now.UtcDateTime.AddMinutes(-1),
            Expires = PipelineHost.Now.UtcDateTime.AddMonths(3),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(VerificationKey), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    [Fact]
    public void The_minted_token_has_the_user_jwts_shape()
    {
        var token = CreateUserJwtsToken(["admin", "reader"], ["api.read", "api.write"]);
        var parts = token.Split('.');
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[0])));
        using var payload = JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])));

        Assert.Equal("HS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        Assert.False(header.RootElement.TryGetProperty("kid", out _));
        Assert.Equal(UserJwtsIssuer, payload.RootElement.GetProperty("iss").GetString());
        Assert.Equal(JsonValueKind.Array, payload.RootElement.GetProperty("aud").ValueKind);
        Assert.Equal(JsonValueKind.Array, payload.RootElement.GetProperty("role").ValueKind);
        Assert.Equal(JsonValueKind.Array, payload.RootElement.GetProperty("scope").ValueKind);
        Assert.Equal("alice", payload.RootElement.GetProperty("sub").GetString());
        Assert.True(payload.RootElement.TryGetProperty("jti", out _));
    }

    [Fact]
    public async Task User_jwts_token_authenticates_with_configuration_only()
    {
        await using var host = await PipelineHost.StartAsync(new PipelineSetup { Configuration = UserSecrets(), Options = null });
        var token = CreateUserJwtsToken(["admin", "reader"], ["api.read", "api.write"]);

        var whoami = await host.GetAsync("/whoami", token);
        var admin = await host.GetAsync("/admin", token);

        Assert.Equal(HttpStatusCode.OK, whoami.Status);
        Assert.Equal("alice", whoami.Json.GetProperty("name").GetString());
        Assert.Equal(["admin", "reader"], whoami.ValuesOf("role"));
        Assert.Equal(["api.read", "api.write"], whoami.ValuesOf("scope"));
        Assert.Equal(["alice"], whoami.ValuesOf("unique_name"));
        Assert.Equal(["e3b0c442"], whoami.ValuesOf("jti"));
        Assert.Equal(["http://localhost:5000", "https://localhost:5001"], whoami.ValuesOf("aud"));
        Assert.Equal(HttpStatusCode.OK, admin.Status);
    }

    [Fact]
    public async Task User_jwts_token_with_one_role_and_one_scope_authenticates()
    {
        await using var host = await PipelineHost.StartAsync(new PipelineSetup { Configuration = UserSecrets(), Options = null });
        var token = CreateUserJwtsToken(["admin"], ["api.read"]);

        var whoami = await host.GetAsync("/whoami", token);
        var admin = await host.GetAsync("/admin-attribute", token);

        Assert.Equal(["admin"], whoami.ValuesOf("role"));
        Assert.Equal(["api.read"], whoami.ValuesOf("scope"));
        Assert.Equal(HttpStatusCode.OK, admin.Status);
    }

    [Fact]
    public async Task User_jwts_token_signed_with_another_key_is_refused()
    {
        await using var host = await PipelineHost.StartAsync(new PipelineSetup { Configuration = UserSecrets(), Options = null });
        var secrets = UserSecrets();
        secrets["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(new byte[32]);
        await using var otherHost = await PipelineHost.StartAsync(new PipelineSetup { Configuration = secrets, Options = null });

        var response = await otherHost.GetAsync("/protected", CreateUserJwtsToken(["admin"], []));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains("reason=\"signature_invalid\"", response.WwwAuthenticate, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/protected", CreateUserJwtsToken(["admin"], []))).Status);
    }
}
