using System.Net;
using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Tests.Options;

// Over 300 lines: one table per configuration key the options bind, kept together so a missing key shows.
/// <summary>

/// <c>Authentication:Schemes:{scheme}</c> is bound first and code runs after it: scalars from code win, lists add up,
/// and the strict default lists (<c>ValidAlgorithms</c>, <c>ValidTypes</c>) are replaced by configuration.
/// </summary>
public sealed class ConfigurationBindingTests
{
    private const string Bearer = "Authentication:Schemes:Bearer:";

    private static readonly string KeyBase64 = Convert.ToBase64String(PipelineHost.Key);

    private static async Task<(PipelineHost Host, BearerJwtOptions Options)> StartAsync(
        Dictionary<string, string?> configuration, Action<BearerJwtOptions>? code = null, string scheme = BearerJwtDefaults.AuthenticationScheme)
    {
        var host = await PipelineHost.StartAsync(new PipelineSetup { Configuration = configuration, Options = code ?? (_ => { }) });
        return (host, host.Services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get(scheme));
    }

    private static Dictionary<string, string?> MinimalConfig(string prefix = Bearer) => new()
    {
        [prefix + "ValidIssuer"] = TestJwt.Issuer,
        [prefix + "ValidAudience"] = TestJwt.Audience,
        [prefix + "SigningKeys:0:Value"] = KeyBase64,
        [prefix + "SigningKeys:0:Length"] = "32",
    };

    [Fact]
    public async Task Every_scalar_setting_binds_from_configuration()
    {
        var config = MinimalConfig();
        config[Bearer + "ValidateIssuer"] = "true";
        config[Bearer + "ValidateAudience"] = "True";
        config[Bearer + "RequireExpirationTime"] = "false";
        config[Bearer + "AllowMissingType"] = "false";
        config[Bearer + "IncludeErrorDetails"] = "false";
        config[Bearer + "WriteProblemDetails"] = "false";
        config[Bearer + "ClockSkew"] = "00:01:15";
        config[Bearer + "MaxTokenSize"] = "4096";
        config[Bearer + "RepeatTokenCacheSize"] = "512";
        config[Bearer + "NameClaimType"] = "preferred_username";
        config[Bearer + "RoleClaimType"] = "groups";
        config[Bearer + "Realm"] = "api";
        config[Bearer + "TokenCookieName"] = "access";
        config[Bearer + "QueryTokenParameter"] = "token";
        config[Bearer + "QueryTokenPaths:0"] = "/hub";
        config[Bearer + "QueryTokenPaths:1"] = "/events";
        config[Bearer + "RoleClaimPaths:0"] = "realm_access.roles";

        var (host, options) = await StartAsync(config);
        await using var _ = host;

        Assert.Equal(TestJwt.Issuer, options.ValidIssuer);
        Assert.Equal(TestJwt.Audience, options.ValidAudience);
        Assert.True(options.ValidateIssuer);
        Assert.True(options.ValidateAudience);
        Assert.False(options.RequireExpirationTime);
        Assert.False(options.AllowMissingType);
        Assert.False(options.IncludeErrorDetails);
        Assert.False(options.WriteProblemDetails);
        Assert.Equal(TimeSpan.FromSeconds(75), options.ClockSkew);
        Assert.Equal(4096, options.MaxTokenSize);
        Assert.Equal(512, options.RepeatTokenCacheSize);
        Assert.Equal("preferred_username", options.NameClaimType);
        Assert.Equal("groups", options.RoleClaimType);
        Assert.Equal("api", options.Realm);
        Assert.Equal("access", options.TokenCookieName);
        Assert.Equal("token", options.QueryTokenParameter);
        Assert.Equal([new PathString("/hub"), new PathString("/events")], options.QueryTokenPaths);
        Assert.Equal(["realm_access.roles"], options.RoleClaimPaths);
        var key = Assert.Single(options.VerificationKeys);
        Assert.Equal("HS256", key.Algorithm);
    }

    [Fact]
    public async Task Code_runs_after_configuration_and_wins_for_scalars()
    {
        var config = MinimalConfig();
        config[Bearer + "ClockSkew"] = "00:00:10";
        config[Bearer + "Realm"] = "from-config";
        config[Bearer + "MaxTokenSize"] = "2048";

        var seenInCode = TimeSpan.Zero;
        var (host, options) = await StartAsync(config, o =>
        {
            seenInCode = o.ClockSkew;
            o.Realm = "from-code";
        });
        await using var _ = host;

        Assert.Equal(TimeSpan.FromSeconds(10), seenInCode);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ClockSkew);
        Assert.Equal("from-code", options.Realm);
        Assert.Equal(2048, options.MaxTokenSize);
    }

    [Fact]
    public async Task Lists_from_configuration_and_code_add_up()
    {
        var config = MinimalConfig();
        config[Bearer + "ValidIssuers:0"] = "https://a.test";
        config[Bearer + "ValidIssuers:1"] = "https://b.test";
        config[Bearer + "ValidAudiences:0"] = "api://a";

        var (host, options) = await StartAsync(config, o =>
        {
            o.ValidIssuers.Add("https://code.test");
            o.ValidAudiences.Add("api://code");
            o.VerificationKeys.Add(VerificationKey.Symmetric(RandomNumberGenerator.GetBytes(48), "HS384"));
        });
        await using var _ = host;

        Assert.Equal(["https://a.test", "https://b.test", "https://code.test"], options.ValidIssuers);
        Assert.Equal(["api://a", "api://code"], options.ValidAudiences);
        Assert.Equal(["HS256", "HS384"], options.VerificationKeys.Select(k => k.Algorithm));
    }

    [Fact]
    public async Task A_token_for_an_audience_from_code_or_configuration_is_accepted()
    {
        var config = MinimalConfig();
        config[Bearer + "ValidAudiences:0"] = "api://from-config";

        var (host, _) = await StartAsync(config, o => o.ValidAudiences.Add("api://from-code"));
        await using var __ = host;

        var fromConfig = await host.GetAsync("/protected", TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, audience: "api://from-config")));
        var fromCode = await host.GetAsync("/protected", TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, audience: "api://from-code")));
        var other = await host.GetAsync("/protected", TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, audience: "api://other")));

        Assert.Equal(HttpStatusCode.OK, fromConfig.Status);
        Assert.Equal(HttpStatusCode.OK, fromCode.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, other.Status);
    }

    [Fact]
    public async Task ValidAlgorithms_and_ValidTypes_from_configuration_replace_the_defaults()
    {
        var config = MinimalConfig();
        config[Bearer + "ValidAlgorithms:0"] = "HS256";
        config[Bearer + "ValidAlgorithms:1"] = "HS512";
        config[Bearer + "ValidTypes:0"] = "at+jwt";

        var (host, options) = await StartAsync(config, o => o.ValidAlgorithms.Add("ES256"));
        await using var _ = host;

        Assert.Equal(["HS256", "HS512", "ES256"], options.ValidAlgorithms);
        Assert.Equal(["at+jwt"], options.ValidTypes);

        var jwtTyped = await host.GetAsync("/protected", PipelineHost.Token());
        var atTyped = await host.GetAsync("/protected", PipelineHost.Token(headerJson: """{"alg":"HS256","typ":"at+jwt"}"""));
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"The token type is not accepted.\", reason=\"type_invalid\"",
            jwtTyped.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.OK, atTyped.Status);
    }

    [Fact]
    public async Task A_single_value_list_setting_binds_as_one_entry()
    {
        var config = MinimalConfig();
        config[Bearer + "ValidAlgorithms"] = "HS256";
        config[Bearer + "ValidIssuers"] = "https://single.test";

        var (host, options) = await StartAsync(config);
        await using var _ = host;

        Assert.Equal(["HS256"], options.ValidAlgorithms);
        Assert.Equal(["https://single.test"], options.ValidIssuers);
    }

    [Fact]
    public async Task Without_configuration_the_strict_defaults_stay()
    {
        var (host, options) = await StartAsync([], PipelineHost.UseDefaults);
        await using var _ = host;

        Assert.Equal(["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"], options.ValidAlgorithms);
        Assert.Equal(["JWT", "at+jwt", "application/at+jwt"], options.ValidTypes);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ClockSkew);
        Assert.Equal(16384, options.MaxTokenSize);
        Assert.True(options.IncludeErrorDetails);
        Assert.True(options.WriteProblemDetails);
        Assert.Null(options.TokenCookieName);
        Assert.Empty(options.QueryTokenPaths);
    }

    [Fact]
    public async Task Configuration_alone_authenticates_a_token()
    {
        var (host, _) = await StartAsync(MinimalConfig());
        await using var __ = host;

        var response = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task Jwks_from_configuration_adds_its_keys()
    {
        var jwksKey = SHA256.HashData("jwks key"u8);
        var config = new Dictionary<string, string?>
        {
            [Bearer + "ValidIssuer"] = TestJwt.Issuer,
            [Bearer + "ValidAudience"] = TestJwt.Audience,
            [Bearer + "Jwks"] = $$"""{"keys":[{"kty":"oct","kid":"j1","alg":"HS256","k":"{{TestJwt.B64(jwksKey)}}"}]}""",
        };

        var (host, _) = await StartAsync(config);
        await using var __ = host;

        var response = await host.GetAsync("/protected", TestJwt.Hs(jwksKey, TestJwt.Payload(PipelineHost.Now), headerJson: """{"alg":"HS256","kid":"j1"}"""));

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task JwksPath_from_configuration_reads_the_file()
    {
        var jwksKey = SHA256.HashData("jwks file key"u8);
        var path = Path.Combine(Path.GetTempPath(), $"bearer-auth-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, $$"""{"keys":[{"kty":"oct","kid":"f1","alg":"HS256","k":"{{TestJwt.B64(jwksKey)}}"}]}""", TestContext.Current.CancellationToken);
        try
        {
            var config = new Dictionary<string, string?>
            {
                [Bearer + "ValidIssuer"] = TestJwt.Issuer,
                [Bearer + "ValidAudience"] = TestJwt.Audience,
                [Bearer + "JwksPath"] = path,
            };

            var (host, _) = await StartAsync(config);
            await using var __ = host;

            var response = await host.GetAsync("/protected", TestJwt.Hs(jwksKey, TestJwt.Payload(PipelineHost.Now), headerJson: """{"alg":"HS256","kid":"f1"}"""));

            Assert.Equal(HttpStatusCode.OK, response.Status);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Relative_JwksPath_is_read_from_the_content_root_not_the_working_directory()
    {
        var jwksKey = SHA256.HashData("relative jwks file key"u8);
        var contentRoot = Directory.CreateTempSubdirectory("bearer-auth-root-").FullName;
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "jwks.json"), $$"""{"keys":[{"kty":"oct","kid":"r1","alg":"HS256","k":"{{TestJwt.B64(jwksKey)}}"}]}""", TestContext.Current.CancellationToken);
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
            services.AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = contentRoot });
            services.AddBearerJwt(o =>
            {
                o.ValidIssuer = TestJwt.Issuer;
                o.ValidAudience = TestJwt.Audience;
                o.JwksPath = "jwks.json";
            });
            await using var provider = services.BuildServiceProvider();
            var options = provider.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get(BearerJwtDefaults.AuthenticationScheme);
            var token = TestJwt.Hs(jwksKey, TestJwt.Payload(DateTimeOffset.UtcNow), headerJson: """{"alg":"HS256","kid":"r1"}""");

            var result = await options.Validator!.ValidateAsync(token, TestContext.Current.CancellationToken);

            Assert.Empty(options.ConfigurationErrors);
            Assert.True(result.Succeeded, result.Failure.ToCode());
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    [Fact]
    public async Task A_SigningKeys_entry_with_an_Issuer_only_verifies_that_issuer()
    {
        var config = MinimalConfig();
        config[Bearer + "ValidIssuers:0"] = "https://other.test";
        config[Bearer + "SigningKeys:0:Issuer"] = "https://other.test";

        var (host, _) = await StartAsync(config);
        await using var __ = host;

        var bound = await host.GetAsync("/protected", TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, issuer: "https://other.test")));
        var otherIssuer = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.OK, bound.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, otherIssuer.Status);
        Assert.Contains("reason=\"key_issuer_mismatch\"", otherIssuer.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_default_scheme_binds_its_own_section_only()
    {
        var partner = "Authentication:Schemes:Partner:";
        var config = MinimalConfig(partner);
        config[partner + "Realm"] = "partner";
        config[Bearer + "Realm"] = "bearer";
        config[Bearer + "MaxTokenSize"] = "not read for Partner";

        await using var host = await PipelineHost.StartAsync(new PipelineSetup
        {
            Configuration = config,
            Authentication = s => s.AddAuthentication("Partner").AddBearerJwt("Partner"),
        });
        var options = host.Services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get("Partner");

        var response = await host.GetAsync("/protected", TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-1))));
        var valid = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal("partner", options.Realm);
        Assert.Equal(BearerJwtDefaults.MaxTokenSize, options.MaxTokenSize);
        Assert.StartsWith("Bearer realm=\"partner\", error=\"invalid_token\"", response.WwwAuthenticate, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, valid.Status);
    }
}
