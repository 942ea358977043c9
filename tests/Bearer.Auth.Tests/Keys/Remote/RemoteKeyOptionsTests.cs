
namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>Start-up validation and configuration binding of the remote key settings.</summary>
public sealed class RemoteKeyOptionsTests
{
    private const string Prefix = "Authentication:Schemes:Bearer:";

    [Fact]
    public void Scheme_whose_only_keys_are_remote_and_whose_issuer_comes_from_discovery_is_valid()
    {
        Assert.Empty(RemoteKeysHarness.ValidationFailures(o =>
        {
            o.RequireHttpsMetadata = true;
            o.Authority = "https://login.example.com/tenant";
        }));
    }

    [Fact]
    public void Http_authority_is_refused_while_https_is_required_even_on_loopback()
    {
        var failures = RemoteKeysHarness.ValidationFailures(o =>
        {
            o.RequireHttpsMetadata = true;
            o.Authority = "http://127.0.0.1:5000";
        });

        var failure = Assert.Single(failures);
        Assert.Contains("BearerJwtOptions.Authority (Authentication:Schemes:Bearer:Authority)", failure, StringComparison.Ordinal);
        Assert.Contains("RequireHttpsMetadata", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_is_allowed_when_https_is_not_required()
    {
        Assert.Empty(RemoteKeysHarness.ValidationFailures(o =>
        {
            o.RequireHttpsMetadata = false;
            o.Authority = "http://127.0.0.1:5000";
        }));
    }

    [Fact]
    public void Authority_entry_inherits_or_overrides_the_https_requirement()
    {
        var failures = RemoteKeysHarness.ValidationFailures(o =>
        {
            o.RequireHttpsMetadata = true;
            o.Authorities.Add(new RemoteKeyAuthority { Authority = "http://127.0.0.1:5000" });
            o.Authorities.Add(new RemoteKeyAuthority { Authority = "http://127.0.0.1:5001", RequireHttpsMetadata = false });
        });

        Assert.Contains("Authorities:0:Authority", Assert.Single(failures), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> InvalidSettings => new()
    {
        { "Authority", "login.example.com", "Authority" },
        { "Authority", "/relative", "Authority" },
        { "Authority", "https://login.example.com/?tenant=x", "Authority" },
        { "Authority", "ftp://login.example.com", "Authority" },
        { "MetadataAddress", "not a url", "MetadataAddress" },
        { "JwksUri", "keys.json", "JwksUri" },
        { "RemoteKeys:RefreshInterval", "00:00:01", "RemoteKeys:RefreshInterval" },
        { "RemoteKeys:RefreshInterval", "30.00:00:00", "RemoteKeys:RefreshInterval" },
        { "RemoteKeys:MinimumRefreshInterval", "00:00:00", "RemoteKeys:MinimumRefreshInterval" },
        { "RemoteKeys:UnknownKeyCooldown", "00:00:00", "RemoteKeys:UnknownKeyCooldown" },
        { "RemoteKeys:FetchTimeout", "-00:00:01", "RemoteKeys:FetchTimeout" },
        { "RemoteKeys:RefreshWaitTimeout", "00:00:00", "RemoteKeys:RefreshWaitTimeout" },
        { "RemoteKeys:MaximumStaleness", "00:30:00", "RemoteKeys:MaximumStaleness" },
        { "RemoteKeys:RetryDelay", "00:00:00", "RemoteKeys:RetryDelay" },
        { "RemoteKeys:MaximumRetryDelay", "00:00:01", "RemoteKeys:MaximumRetryDelay" },
        { "RemoteKeys:MaximumResponseSize", "0", "RemoteKeys:MaximumResponseSize" },
        { "RemoteKeys:RefreshInterval", "hourly", "RemoteKeys:RefreshInterval" },
        { "RequireHttpsMetadata", "maybe", "RequireHttpsMetadata" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Invalid_setting_is_refused_naming_it(string key, string value, string named)
    {
        var configuration = new Dictionary<string, string?>
        {
            [Prefix + "RequireHttpsMetadata"] = "false",
            [Prefix + "Authority"] = "https://login.example.com",
            [Prefix + key] = value,
        };
        if (key is "MetadataAddress")
        {
            configuration.Remove(Prefix + "Authority");
            configuration[Prefix + "Issuer"] = "https://login.example.com";
        }

        if (key is "JwksUri")
        {
            configuration.Remove(Prefix + "Authority");
            configuration[Prefix + "ValidIssuer"] = "https://login.example.com";
        }

        var failures = RemoteKeysHarness.ValidationFailures(o => o.RequireHttpsMetadata = true, configuration);

        Assert.Contains(failures, f => f.Contains("Authentication:Schemes:Bearer:" + named, StringComparison.Ordinal));
    }

    [Fact]
    public void Jwks_uri_combined_with_discovery_is_refused()
    {
        var failures = RemoteKeysHarness.ValidationFailures(o =>
        {
            o.Authority = "https://login.example.com";
            o.JwksUri = "https://login.example.com/keys";
        });

        Assert.Contains("Authentication:Schemes:Bearer:JwksUri", Assert.Single(failures), StringComparison.Ordinal);
    }


    [Fact]
    public void Bare_jwks_uri_without_any_issuer_is_refused()
    {
        var failures = RemoteKeysHarness.ValidationFailures(o => o.JwksUri = "https://keys.example.com/jwks");

        Assert.Contains("Authentication:Schemes:Bearer:JwksUri", Assert.Single(failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_address_without_standard_suffix_needs_an_issuer()
    {
        var failures = RemoteKeysHarness.ValidationFailures(o =>
            o.Authorities.Add(new RemoteKeyAuthority { MetadataAddress = "https://login.example.com/metadata.json" }));

        Assert.Contains("Authorities:0:Issuer", Assert.Single(failures), StringComparison.Ordinal);
        Assert.Empty(RemoteKeysHarness.ValidationFailures(o =>
            o.Authorities.Add(new RemoteKeyAuthority { MetadataAddress = "https://login.example.com/metadata.json", Issuer = "https://login.example.com" })));
    }

    [Fact]
    public async Task Configuration_binds_authorities_and_remote_key_settings()
    {
        await using var harness = RemoteKeysHarness.Create(configuration: new()
        {
            [Prefix + "Authorities:0:Authority"] = "https://a.example",
            [Prefix + "Authorities:1:JwksUri"] = "http://127.0.0.1:9/jwks",
            [Prefix + "Authorities:1:Issuer"] = "https://b.example",
            [Prefix + "Authorities:1:RequireHttpsMetadata"] = "false",
            [Prefix + "Authorities:2:MetadataAddress"] = "https://c.example/meta",
            [Prefix + "Authorities:2:Issuer"] = "https://c.example",
            [Prefix + "Authorities:2:ValidateMetadataIssuer"] = "false",
            [Prefix + "RemoteKeys:RefreshInterval"] = "02:00:00",
            [Prefix + "RemoteKeys:UnknownKeyCooldown"] = "00:01:00",
            [Prefix + "RemoteKeys:MaximumResponseSize"] = "65536",
            [Prefix + "RemoteKeys:PrewarmOnStartup"] = "false",
            [Prefix + "RemoteKeys:HttpClientName"] = "idp",
        });

        var options = harness.Options;
        Assert.Equal(3, options.Authorities.Count);
        Assert.Equal("https://a.example", options.Authorities[0].Authority);
        Assert.Equal("https://b.example", options.Authorities[1].Issuer);
        Assert.False(options.Authorities[1].RequireHttpsMetadata);
        Assert.False(options.Authorities[2].ValidateMetadataIssuer);
        Assert.Equal(TimeSpan.FromHours(2), options.RemoteKeys.RefreshInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RemoteKeys.UnknownKeyCooldown);
        Assert.Equal(65536, options.RemoteKeys.MaximumResponseSize);
        Assert.False(options.RemoteKeys.PrewarmOnStartup);
        Assert.Equal("idp", options.RemoteKeys.HttpClientName);
        Assert.Equal(3, harness.Resolver.Sources.Count);
        Assert.Equal(["https://a.example", "https://b.example", null], harness.Resolver.Sources.Select(s => s.GetStatus().Issuer));
    }
}
