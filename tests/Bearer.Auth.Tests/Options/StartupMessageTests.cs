using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;
using static Bearer.Auth.Tests.Options.ConfiguredScheme;

namespace Bearer.Auth.Tests.Options;

/// <summary>
/// Start-up messages a user can act on: they quote the value read, say what it was read as, come once per problem,
/// and are the same for a key added in code as for the same key in configuration.
/// </summary>
public sealed class StartupMessageTests
{
    private static readonly string Key16 = Convert.ToBase64String(new byte[16]);

    public static TheoryData<string> TimeSpanKeys =>
    [
        "ClockSkew", "TokenValidationParameters:ClockSkew", "BackchannelTimeout", "RefreshInterval", "AutomaticRefreshInterval",
        "RemoteKeys:RefreshInterval", "RemoteKeys:MinimumRefreshInterval", "RemoteKeys:MaximumRefreshInterval",
        "RemoteKeys:UnknownKeyCooldown", "RemoteKeys:FetchTimeout", "RemoteKeys:RefreshWaitTimeout", "RemoteKeys:MaximumStaleness",
        "RemoteKeys:RetryDelay", "RemoteKeys:MaximumRetryDelay",
    ];

    [Theory]
    [MemberData(nameof(TimeSpanKeys))]
    public void A_bare_number_for_a_time_span_is_refused_saying_it_reads_as_days_and_showing_the_form_to_write(string key)
    {
        var failure = Assert.Single(Failures(With((key, "300"))));

        Assert.Equal(
            $"Configuration for scheme 'Bearer': {Prefix}{key} is '300', which reads as 300 days (a bare number is a number of days). " +
            "Write it as hh:mm:ss: 00:05:00 for 300 seconds, or 300.00:00:00 if you mean days.",
            failure);
    }

    [Theory]
    [InlineData("00:00:45", 45)]
    [InlineData("0", 0)]
    [InlineData("0.00:00:10", 10)]
    public void Time_spans_in_hh_mm_ss_form_and_zero_are_read(string text, int seconds)
    {
        var options = ConfiguredScheme.Options(With(("ClockSkew", text)));

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.ClockSkew);
    }

    [Fact]
    public void A_bare_number_of_seconds_that_is_a_whole_day_count_shows_the_day_form()
    {
        var failure = Assert.Single(Failures(With(("RemoteKeys:MaximumStaleness", "86400"))));

        Assert.EndsWith("Write it as hh:mm:ss: 1.00:00:00 for 86400 seconds, or 86400.00:00:00 if you mean days.", failure, StringComparison.Ordinal);
    }

    /// <summary>A setup with one problem, and the one message it must give (a fragment of it).</summary>
    public static TheoryData<string, string> OneProblem => new()
    {
        { "16-byte key in SigningKeys, no other key", "BearerJwtOptions.VerificationKeys (Authentication:Schemes:Bearer:SigningKeys:0): An HS256 key must be at least 32 bytes" },
        { "16-byte key in SigningKeys naming the only issuer", "SigningKeys:0): An HS256 key must be at least 32 bytes" },
        { "bad base64 in SigningKeys, no other key", "SigningKeys:0:Value must be a base64 key." },
        { "wrong Length in SigningKeys, no other key", "SigningKeys:0:Length is '16' but the key has 32 bytes." },
        { "invalid Jwks, no other key", "Jwks: The text is not valid JSON" },
        { "unreadable JwksPath, no other key", "JwksPath: the file" },
        { "lowercase ValidAlgorithms entry", "BearerJwtOptions.ValidAlgorithms (Authentication:Schemes:Bearer:ValidAlgorithms) contains 'hs256'" },
        { "empty ValidAlgorithms", "BearerJwtOptions.ValidAlgorithms (Authentication:Schemes:Bearer:ValidAlgorithms) must list at least one algorithm." },
        { "unreadable ValidateAudience without an audience", "ValidateAudience must be true or false, not 'no'." },
        { "unreadable ValidateIssuer without an issuer", "ValidateIssuer must be true or false, not 'no'." },
        { "unreadable RequireHttpsMetadata with an http Authority", "RequireHttpsMetadata must be true or false, not 'off'." },
        { "unreadable entry RequireHttpsMetadata with an http entry", "Authorities:0:RequireHttpsMetadata must be true or false, not 'off'." },
        { "bare number ClockSkew", "ClockSkew is '300', which reads as 300 days" },
        { "RemoteKeys:RefreshInterval above its maximum", "BearerJwtOptions.RemoteKeys.RefreshInterval (Authentication:Schemes:Bearer:RemoteKeys:RefreshInterval) must be between" },
        { "RemoteKeys:MaximumRefreshInterval below the minimum", "BearerJwtOptions.RemoteKeys.MaximumRefreshInterval (Authentication:Schemes:Bearer:RemoteKeys:MaximumRefreshInterval) must not be less than MinimumRefreshInterval" },
        { "16-byte key in code, before the audience", "BearerJwtOptions.VerificationKeys (a key added in code; the configure delegate of AddBearerJwt stopped there): An HS256 key must be at least 32 bytes" },
        { "MapInboundClaims true", "MapInboundClaims is 'true'" },
    };

    [Fact]
    public void Every_problem_has_a_setup()
    {
        foreach (var row in OneProblem)
        {
            Assert.NotNull(Setup(row.Data.Item1).Config);
        }
    }

    [Theory]
    [MemberData(nameof(OneProblem))]
    public void One_problem_gives_one_message(string scenario, string fragment)
    {
        var (config, code) = Setup(scenario);

        var failure = Assert.Single(Failures(config, code));

        Assert.Contains(fragment, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_added_in_code_is_refused_with_the_words_of_the_same_key_in_configuration()
    {
        var fromConfig = Assert.Single(Failures(With(("SigningKeys:0:Value", Key16), ("SigningKeys:0:Length", null))));
        var fromCode = Assert.Single(Failures(
            With(("SigningKeys:0:Value", null), ("SigningKeys:0:Length", null)),
            o => o.VerificationKeys.Add(VerificationKey.Symmetric(new byte[16]))));

        const string Reason = "An HS256 key must be at least 32 bytes (RFC 7518 §3.2); this one has 16.";
        Assert.Equal($"Configuration for scheme 'Bearer': BearerJwtOptions.VerificationKeys (Authentication:Schemes:Bearer:SigningKeys:0): {Reason}", fromConfig);
        Assert.Equal($"Configuration for scheme 'Bearer': BearerJwtOptions.VerificationKeys (a key added in code; the configure delegate of AddBearerJwt stopped there): {Reason}", fromCode);
    }

    [Fact]
    public void Every_key_factory_refusal_in_code_is_a_start_up_message_not_a_raw_exception()
    {
        using var weakRsa = RSA.Create(1024);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Action<BearerJwtOptions>[] refusals =
        [
            o => o.VerificationKeys.Add(VerificationKey.Symmetric(new byte[32], "RS256")),
            o => o.VerificationKeys.Add(VerificationKey.Rsa(weakRsa)),
            o => o.VerificationKeys.Add(VerificationKey.Ecdsa(p384, "ES256")),
            o => _ = Jwks.Parse("""{"keys":[{"kty":"oct","k":"AAAA"}]}"""),
        ];

        foreach (var refusal in refusals)
        {
            var failure = Assert.Single(Failures(Minimal(), refusal));
            Assert.StartsWith("Configuration for scheme 'Bearer': BearerJwtOptions.VerificationKeys (a key added in code;", failure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Other_exceptions_of_the_configure_delegate_are_not_rewritten()
    {
        var exception = Assert.Throws<ArgumentException>(() => ConfiguredScheme.Options(Minimal(), _ => throw new ArgumentException("the application's own", "name")));

        Assert.Equal("name", exception.ParamName);
    }

    private static (Dictionary<string, string?> Config, Action<BearerJwtOptions>? Code) Setup(string scenario) => scenario switch
    {
        "16-byte key in SigningKeys, no other key" => (With(("SigningKeys:0:Value", Key16), ("SigningKeys:0:Length", null)), null),
        "16-byte key in SigningKeys naming the only issuer" => (
            With(("ValidIssuer", null), ("SigningKeys:0:Value", Key16), ("SigningKeys:0:Length", null), ("SigningKeys:0:Issuer", TestJwt.Issuer)), null),
        "bad base64 in SigningKeys, no other key" => (With(("SigningKeys:0:Value", "not base64!")), null),
        "wrong Length in SigningKeys, no other key" => (With(("SigningKeys:0:Length", "16")), null),
        "invalid Jwks, no other key" => (With(("SigningKeys:0:Value", null), ("SigningKeys:0:Length", null), ("Jwks", "{\"keys\":[")), null),
        "unreadable JwksPath, no other key" => (
            With(("SigningKeys:0:Value", null), ("SigningKeys:0:Length", null), ("JwksPath", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "jwks.json"))),
            null),
        "lowercase ValidAlgorithms entry" => (With(("ValidAlgorithms:0", "hs256")), null),
        "empty ValidAlgorithms" => (Minimal(), o => o.ValidAlgorithms.Clear()),
        "unreadable ValidateAudience without an audience" => (With(("ValidAudience", null), ("ValidateAudience", "no")), null),
        "unreadable ValidateIssuer without an issuer" => (With(("ValidIssuer", null), ("ValidateIssuer", "no")), null),
        "unreadable RequireHttpsMetadata with an http Authority" => (
            With(("Authority", "http://127.0.0.1:5000"), ("RequireHttpsMetadata", "off"), ("RemoteKeys:PrewarmOnStartup", "false")), null),
        "unreadable entry RequireHttpsMetadata with an http entry" => (
            With(("Authorities:0:Authority", "http://127.0.0.1:5000"), ("Authorities:0:RequireHttpsMetadata", "off"), ("RemoteKeys:PrewarmOnStartup", "false")), null),
        "bare number ClockSkew" => (With(("ClockSkew", "300")), null),
        "RemoteKeys:RefreshInterval above its maximum" => (
            With(("Authority", "https://login.example.test"), ("RemoteKeys:RefreshInterval", "2.00:00:00"), ("RemoteKeys:PrewarmOnStartup", "false")), null),
        "RemoteKeys:MaximumRefreshInterval below the minimum" => (
            With(("Authority", "https://login.example.test"), ("RemoteKeys:MaximumRefreshInterval", "00:01:00"), ("RemoteKeys:PrewarmOnStartup", "false")), null),
        "16-byte key in code, before the audience" => (
            With(("ValidAudience", null), ("SigningKeys:0:Value", null), ("SigningKeys:0:Length", null)),
            o =>
            {
                o.VerificationKeys.Add(VerificationKey.Symmetric(new byte[16]));
                o.ValidAudience = TestJwt.Audience;
            }),
        "MapInboundClaims true" => (With(("MapInboundClaims", "true")), null),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "No setup for this scenario."),
    };
}
