using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Tests.Options;

/// <summary>
/// <c>ValidateOnStart</c>: options that would make the handler weaker than it says, or unable to accept any token,
/// stop the host with an <see cref="OptionsValidationException"/> whose message names the setting.
/// </summary>
public sealed class OptionsValidationTests
{
    private const string Scheme = "Authentication:Schemes:Bearer:";

    private static readonly string Key32 = Convert.ToBase64String(SHA256.HashData("config key"u8));
    private static readonly string Key16 = Convert.ToBase64String(new byte[16]);

    /// <summary>A scenario name, then the fragments the validation message must contain.</summary>
    public static TheoryData<string, string[]> InvalidSetups { get; } = new()
    {
        { "no keys", ["BearerJwtOptions.VerificationKeys (Authentication:Schemes:Bearer:SigningKeys) is empty"] },
        { "short HMAC key in SigningKeys config", [Scheme + "SigningKeys:0", "at least 32 bytes", "this one has 16"] },
        { "bad base64 in SigningKeys config", [Scheme + "SigningKeys:0:Value must be a base64 key."] },
        { "missing Value in SigningKeys config", [Scheme + "SigningKeys:0:Value must be a base64 key."] },
        { "wrong Length in SigningKeys config", [Scheme + "SigningKeys:0:Length is '16' but the key has 32 bytes."] },
        { "non-numeric Length in SigningKeys config", [Scheme + "SigningKeys:0:Length is 'long'"] },
        { "unknown Algorithm in SigningKeys config", [Scheme + "SigningKeys:0"] },
        { "short HMAC key in Jwks set in code", ["Jwks: Key 0", "at least 32 bytes"] },
        { "invalid Jwks JSON", ["Jwks: The text is not valid JSON"] },
        { "Jwks without keys array", ["Jwks: A JWKS must be an object with a 'keys' array."] },
        { "unreadable JwksPath", ["JwksPath: the file", "cannot be read"] },
        { "none in ValidAlgorithms", ["BearerJwtOptions.ValidAlgorithms (Authentication:Schemes:Bearer:ValidAlgorithms) contains 'none'"] },
        { "lowercase rs256 in ValidAlgorithms", ["BearerJwtOptions.ValidAlgorithms", "contains 'rs256'"] },
        { "empty ValidAlgorithms", ["BearerJwtOptions.ValidAlgorithms", "must list at least one algorithm"] },
        { "key alg not in ValidAlgorithms", ["BearerJwtOptions.VerificationKeys (Authentication:Schemes:Bearer:SigningKeys)", "for HS256, which ValidAlgorithms does not allow"] },
        { "no issuer", ["BearerJwtOptions.ValidIssuer (Authentication:Schemes:Bearer:ValidIssuer) is required"] },
        { "no audience", ["BearerJwtOptions.ValidAudience (Authentication:Schemes:Bearer:ValidAudience) is required"] },
        { "negative ClockSkew", ["BearerJwtOptions.ClockSkew (Authentication:Schemes:Bearer:ClockSkew) must be between"] },
        { "huge ClockSkew", ["BearerJwtOptions.ClockSkew", "must be between 00:00:00 and 00:05:00"] },
        { "negative ClockSkew in config", ["BearerJwtOptions.ClockSkew", "must be between"] },
        { "zero MaxTokenSize", ["BearerJwtOptions.MaxTokenSize (Authentication:Schemes:Bearer:MaxTokenSize) must be a positive number"] },
        { "negative MaxTokenSize in config", ["BearerJwtOptions.MaxTokenSize", "must be a positive number"] },
        { "bad bool in config", [Scheme + "ValidateIssuer must be true or false, not 'yes'."] },
        { "bad TimeSpan in config", [Scheme + "ClockSkew must be a time span such as 00:00:30, not '30s'."] },
        { "bad int in config", [Scheme + "MaxTokenSize must be an integer, not 'big'."] },
        { "empty ValidTypes entry", ["BearerJwtOptions.ValidTypes", "contains an empty value"] },
        { "null ValidTypes entry", ["BearerJwtOptions.ValidTypes", "contains an empty value"] },
        { "null ValidAlgorithms entry", ["BearerJwtOptions.ValidAlgorithms", "contains ''"] },
        { "empty RoleClaimType", ["BearerJwtOptions.RoleClaimType", "must not be empty"] },
        { "QueryTokenPaths entry without a leading slash", [Scheme + "QueryTokenPaths:0 must be a path starting with '/', not 'hub'."] },
        { "non-ASCII Realm", ["BearerJwtOptions.Realm (Authentication:Schemes:Bearer:Realm) must contain only printable ASCII"] },
    };

    [Fact]
    public void Every_scenario_has_a_setup()
    {
        foreach (var row in InvalidSetups)
        {
            Assert.NotNull(Setup(row.Data.Item1));
        }
    }

    [Theory]
    [MemberData(nameof(InvalidSetups))]
    public async Task Invalid_options_stop_the_host_with_a_message_naming_the_setting(string scenario, string[] fragments)
    {
        using var host = PipelineHost.Build(Setup(scenario));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(BearerJwtDefaults.AuthenticationScheme, exception.OptionsName);
        Assert.Equal(typeof(BearerJwtOptions), exception.OptionsType);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Messages_never_contain_key_material()
    {
        var secret = Convert.ToBase64String(new byte[] { 0xFB, 0xEF, 0xBE } .Concat(new byte[13]).ToArray());
        using var host = PipelineHost.Build(Config(
            (Scheme + "SigningKeys:0:Value", secret),
            (Scheme + "SigningKeys:0:Length", "16"),
            (Scheme + "Jwks", """{"keys":[{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQ"}]}""")));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("SigningKeys:0", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Jwks: Key 0", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task All_problems_are_reported_at_once()
    {
        using var host = PipelineHost.Build(new PipelineSetup
        {
            Options = o =>
            {
                o.MaxTokenSize = 0;
                o.ClockSkew = TimeSpan.FromHours(1);
            },
        });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(exception.Failures, f => f.Contains("MaxTokenSize", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.Contains("ClockSkew", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.Contains("SigningKeys", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.Contains("ValidIssuer", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.Contains("ValidAudience", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Valid_options_start()
    {
        using var host = PipelineHost.Build(new PipelineSetup());

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(host.Services);
    }

    [Fact]
    public async Task A_custom_key_resolver_needs_no_static_keys_and_may_bind_issuers()
    {
        using var host = PipelineHost.Build(new PipelineSetup
        {
            Options = o =>
            {
                o.ValidAudience = TestJwt.Audience;
                o.KeyResolver = new StaticKeyResolver([VerificationKey.Symmetric(PipelineHost.Key, issuer: TestJwt.Issuer)]);
            },
        });

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(host.Services);
    }

    [Fact]
    public async Task Turning_issuer_and_audience_validation_off_is_allowed()
    {
        using var host = PipelineHost.Build(new PipelineSetup
        {
            Options = o =>
            {
                o.ValidateIssuer = false;
                o.ValidateAudience = false;
                o.VerificationKeys.Add(VerificationKey.Symmetric(PipelineHost.Key));
            },
        });

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(host.Services);
    }

    private static PipelineSetup Setup(string scenario) => scenario switch
    {
        "no keys" => Code(o =>
        {
            o.ValidIssuer = TestJwt.Issuer;
            o.ValidAudience = TestJwt.Audience;
        }),
        "short HMAC key in SigningKeys config" => Config((Scheme + "SigningKeys:0:Value", Key16), (Scheme + "SigningKeys:0:Length", "16")),
        "bad base64 in SigningKeys config" => Config((Scheme + "SigningKeys:0:Value", "not base64!"), (Scheme + "SigningKeys:0:Length", "32")),
        "missing Value in SigningKeys config" => Config((Scheme + "SigningKeys:0:Id", "k1"), (Scheme + "SigningKeys:0:Length", "32")),
        "wrong Length in SigningKeys config" => Config((Scheme + "SigningKeys:0:Value", Key32), (Scheme + "SigningKeys:0:Length", "16")),
        "non-numeric Length in SigningKeys config" => Config((Scheme + "SigningKeys:0:Value", Key32), (Scheme + "SigningKeys:0:Length", "long")),
        "unknown Algorithm in SigningKeys config" => Config((Scheme + "SigningKeys:0:Value", Key32), (Scheme + "SigningKeys:0:Algorithm", "RS256")),
        "short HMAC key in Jwks set in code" => Code(o =>
        {
            UseIssuerAndAudience(o);
            o.Jwks = """{"keys":[{"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAA"}]}""";
        }),
        "QueryTokenPaths entry without a leading slash" => Config((Scheme + "QueryTokenPaths:0", "hub")),
        "non-ASCII Realm" => Config((Scheme + "Realm", "réalm\r\n")),
        "invalid Jwks JSON" => Config((Scheme + "Jwks", "{\"keys\":[")),
        "Jwks without keys array" => Config((Scheme + "Jwks", "{\"key\":[]}")),
        "unreadable JwksPath" => Config((Scheme + "JwksPath", Path.Combine(Path.GetTempPath(), "bearer-auth-missing", Guid.NewGuid().ToString("N") + ".json"))),
        "none in ValidAlgorithms" => Config((Scheme + "ValidAlgorithms:0", "HS256"), (Scheme + "ValidAlgorithms:1", "none")),
        "lowercase rs256 in ValidAlgorithms" => CodeOnDefaults(o =>
        {
            o.ValidAlgorithms.Add("rs256");
        }),
        "empty ValidAlgorithms" => CodeOnDefaults(o =>
        {
            o.ValidAlgorithms.Clear();
        }),
        "key alg not in ValidAlgorithms" => Config((Scheme + "ValidAlgorithms:0", "RS256")),
        "no issuer" => Code(o =>
        {
            o.ValidAudience = TestJwt.Audience;
            o.VerificationKeys.Add(VerificationKey.Symmetric(PipelineHost.Key));
        }),
        "no audience" => Code(o =>
        {
            o.ValidIssuer = TestJwt.Issuer;
            o.VerificationKeys.Add(VerificationKey.Symmetric(PipelineHost.Key));
        }),
        "negative ClockSkew" => CodeOnDefaults(o =>
        {
            o.ClockSkew = TimeSpan.FromSeconds(-1);
        }),
        "huge ClockSkew" => CodeOnDefaults(o =>
        {
            o.ClockSkew = TimeSpan.FromDays(1);
        }),
        "negative ClockSkew in config" => Config((Scheme + "ClockSkew", "-00:00:10")),
        "zero MaxTokenSize" => CodeOnDefaults(o =>
        {
            o.MaxTokenSize = 0;
        }),
        "negative MaxTokenSize in config" => Config((Scheme + "MaxTokenSize", "-5")),
        "bad bool in config" => Config((Scheme + "ValidateIssuer", "yes")),
        "bad TimeSpan in config" => Config((Scheme + "ClockSkew", "30s")),
        "bad int in config" => Config((Scheme + "MaxTokenSize", "big")),
        "empty ValidTypes entry" => CodeOnDefaults(o =>
        {
            o.ValidTypes.Add(" ");
        }),
        "null ValidTypes entry" => CodeOnDefaults(o => o.ValidTypes.Add(null!)),
        "null ValidAlgorithms entry" => CodeOnDefaults(o => o.ValidAlgorithms.Add(null!)),
        "empty RoleClaimType" => Config((Scheme + "RoleClaimType", "")),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "No setup for this scenario."),
    };

    private static void UseIssuerAndAudience(BearerJwtOptions options)
    {
        options.ValidIssuer = TestJwt.Issuer;
        options.ValidAudience = TestJwt.Audience;
    }

    private static PipelineSetup Code(Action<BearerJwtOptions> configure) => new() { Options = configure };

    /// <summary>Valid code options (issuer, audience, the HS256 key), then <paramref name="configure"/>.</summary>
    private static PipelineSetup CodeOnDefaults(Action<BearerJwtOptions> configure) => Code(o =>
    {
        PipelineHost.UseDefaults(o);
        configure(o);
    });

    /// <summary>Configuration entries on top of otherwise valid code options (issuer, audience, the HS256 key).</summary>
    private static PipelineSetup Config(params (string Key, string Value)[] entries) => new()
    {
        Configuration = entries.ToDictionary(e => e.Key, e => (string?)e.Value),
        Options = PipelineHost.UseDefaults,
    };
}
