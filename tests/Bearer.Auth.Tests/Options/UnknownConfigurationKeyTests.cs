using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using static Bearer.Auth.Tests.Options.ConfiguredScheme;

namespace Bearer.Auth.Tests.Options;

/// <summary>
/// A key under the scheme's section that nothing reads (a typo, another library's setting) is one start-up warning
/// naming its full path and the closest setting; start-up goes on.
/// </summary>
public sealed class UnknownConfigurationKeyTests
{
    private const string Category = "Bearer.Auth.BearerJwtConfigureOptions";

    public static TheoryData<string, string> Typos => new()
    {
        { "ValidAudeince", "did you mean ValidAudience?" },
        { "ValidIsuers:0", "did you mean ValidIssuers?" },
        { "ClokSkew", "did you mean ClockSkew?" },
        { "Audiences:0", "did you mean Audience?" },
        { "RequireHttps", "did you mean RequireHttpsMetadata?" },
        { "FetchTimeout", "did you mean RemoteKeys:FetchTimeout?" },
        { "RemoteKeys:FetchTimout", "did you mean RemoteKeys:FetchTimeout?" },
        { "RemoteKeys:AllowSymetricKeys", "did you mean RemoteKeys:AllowSymmetricKeys?" },
        { "SigningKeys:0:Isuer", "did you mean SigningKeys:0:Issuer?" },
        { "SigningKeys:0:Vaule", "did you mean SigningKeys:0:Value?" },
        { "TokenValidationParameters:ValidIssuerss", "did you mean TokenValidationParameters:ValidIssuers?" },
        { "TokenValidationParameters:ValidateTokenReplay", "no similar setting" },
        { "TokenValidationParameters:SaveSigninToken", "no similar setting" },
        { "Backchannel", "did you mean BackchannelTimeout?" },
        { "Zzz", "no similar setting" },
    };

    [Theory]
    [MemberData(nameof(Typos))]
    public void An_unknown_key_is_one_warning_naming_its_path_and_the_closest_setting(string key, string suggestion)
    {
        var logs = new FakeLogCollector();
        var config = Minimal();
        config[Prefix + key] = "x";

        _ = ConfiguredScheme.Options(config, logs: logs);

        var warning = Assert.Single(Warnings(logs));
        var reported = key.EndsWith(":0", StringComparison.Ordinal) ? key[..^2] : key;
        Assert.Equal($"Configuration key {Prefix}{reported} is not a Bearer.Auth setting and is ignored ({suggestion}).", warning.Message);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(30, warning.Id.Id);
        Assert.Equal("UnknownConfigurationKey", warning.Id.Name);
    }

    [Fact]
    public void Each_unknown_key_is_reported_once_however_many_values_it_holds_and_however_often_options_are_built()
    {
        var logs = new FakeLogCollector();
        var config = Minimal();
        config[Prefix + "Scopes:0"] = "read";
        config[Prefix + "Scopes:1"] = "write";
        config[Prefix + "Events:OnMessageReceived"] = "x";
        config[Prefix + "RemoteKeys:Proxy:Address"] = "http://proxy";
        using var host = PipelineHost.Build(new PipelineSetup { Configuration = config, Options = _ => { } }, logs);
        var factory = host.Services.GetRequiredService<IOptionsFactory<BearerJwtOptions>>();

        _ = factory.Create(BearerJwtDefaults.AuthenticationScheme);
        _ = factory.Create(BearerJwtDefaults.AuthenticationScheme);

        Assert.Equal(
            [Prefix + "Events", Prefix + "RemoteKeys:Proxy", Prefix + "Scopes"],
            Warnings(logs).Select(w => w.GetStructuredStateValue("Key")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_key_in_a_list_entry_names_the_setting_of_that_entry()
    {
        var logs = new FakeLogCollector();
        var config = Minimal();
        config[Prefix + "Authorities:0:Authority"] = "https://login.example.test";
        config[Prefix + "Authorities:1:Authority"] = "https://other.example.test";
        config[Prefix + "Authorities:1:MetadataAdress"] = "https://other.example.test/meta";
        config[Prefix + "RemoteKeys:PrewarmOnStartup"] = "false";

        _ = ConfiguredScheme.Options(config, logs: logs);

        Assert.Equal(
            $"Configuration key {Prefix}Authorities:1:MetadataAdress is not a Bearer.Auth setting and is ignored (did you mean Authorities:1:MetadataAddress?).",
            Assert.Single(Warnings(logs)).Message);
    }

    [Fact]
    public async Task An_unknown_key_does_not_stop_start_up()
    {
        var config = Minimal();
        config[Prefix + "ValidAudeince"] = "api://typo";

        await using var host = await PipelineHost.StartAsync(new PipelineSetup { Configuration = config, Options = _ => { } });

        Assert.Single(Warnings(host.Logs));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.GetAsync("/protected", PipelineHost.Token())).Status);
    }

    [Fact]
    public void Known_keys_in_any_casing_are_not_reported()
    {
        var logs = new FakeLogCollector();
        var config = Minimal();
        config[Prefix + "clockskew"] = "00:00:10";
        config[Prefix + "REMOTEKEYS:fetchtimeout"] = "00:00:05";
        config[Prefix + "validaudiences:0"] = "api://x";

        _ = ConfiguredScheme.Options(config, logs: logs);

        Assert.Empty(Warnings(logs));
    }

    /// <summary>The list is the one place to extend: every key in it is recognized, in every section it names.</summary>
    [Fact]
    public void Every_listed_key_is_recognized()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(ConfigurationKeys.All.Select(k => new KeyValuePair<string, string?>(Prefix + k.Replace("*", "0", StringComparison.Ordinal), "x")))
            .Build()
            .GetSection(SectionPath);

        Assert.Empty(ConfigurationKeys.FindUnknown(section, SectionPath));
    }

    [Fact]
    public void A_list_under_an_entry_that_is_not_listed_is_one_unknown_key()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(
            [
                new KeyValuePair<string, string?>(Prefix + "Authorities:1:Tenants:0", "a"),
                new KeyValuePair<string, string?>(Prefix + "Authorities:1:Tenants:1", "b"),
            ])
            .Build()
            .GetSection(SectionPath);

        var (key, closest) = Assert.Single(ConfigurationKeys.FindUnknown(section, SectionPath));

        Assert.Equal(Prefix + "Authorities:1:Tenants", key);
        Assert.Null(closest);
    }

    private static List<FakeLogRecord> Warnings(FakeLogCollector logs) =>
        [.. logs.GetSnapshot().Where(r => r.Category == Category && r.Id.Name == "UnknownConfigurationKey")];
}
