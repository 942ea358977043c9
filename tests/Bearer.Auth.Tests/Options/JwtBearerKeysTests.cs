using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Bearer.Auth.Tests.Options.ConfiguredScheme;

namespace Bearer.Auth.Tests.Options;

/// <summary>
/// Every key Microsoft's <c>JwtBearerConfigureOptions</c> binds, plus <c>Audience</c>, <c>AutomaticRefreshInterval</c>
/// and <c>TokenValidationParameters:*</c> (what users <c>Bind</c> onto <c>JwtBearerOptions</c>): each has the same
/// effect here, or stops start-up with a message naming our equivalent. None is silently ignored.
/// </summary>
public sealed class JwtBearerKeysTests
{
    private const string Https = "https://login.example.test/realms/main";

    /// <summary>Keys that have the same effect: the configuration, then what it must have set.</summary>
    private static readonly Dictionary<string, (Dictionary<string, string?> Config, Action<BearerJwtOptions> Assert)> SameEffect = new()
    {
        ["Authority"] = (With(("Authority", Https), ("RemoteKeys:PrewarmOnStartup", "false")), o => Assert.Equal(Https, o.Authority)),
        ["MetadataAddress"] = (With(("MetadataAddress", Https + "/.well-known/openid-configuration"), ("RemoteKeys:PrewarmOnStartup", "false")),
            o => Assert.Equal(Https + "/.well-known/openid-configuration", o.MetadataAddress)),
        ["RequireHttpsMetadata"] = (With(("Authority", "http://127.0.0.1:5000"), ("RequireHttpsMetadata", "false"), ("RemoteKeys:PrewarmOnStartup", "false")),
            o => Assert.False(o.RequireHttpsMetadata)),
        ["ValidIssuer"] = (With(("ValidIssuer", "https://one.test")), o => Assert.Equal(["https://one.test"], o.ValidationSettings!.ValidIssuers)),
        ["ValidIssuers"] = (With(("ValidIssuers:0", "https://a.test"), ("ValidIssuers:1", "https://b.test")),
            o => Assert.Equal([TestJwt.Issuer, "https://a.test", "https://b.test"], o.ValidationSettings!.ValidIssuers)),
        ["ValidAudience"] = (With(("ValidAudience", "api://one")), o => Assert.Equal(["api://one"], o.ValidationSettings!.ValidAudiences)),
        ["ValidAudiences"] = (With(("ValidAudiences:0", "api://a")), o => Assert.Equal([TestJwt.Audience, "api://a"], o.ValidationSettings!.ValidAudiences)),
        ["ValidateIssuer"] = (With(("ValidateIssuer", "false"), ("ValidIssuer", null)), o => Assert.False(o.ValidationSettings!.ValidateIssuer)),
        ["ValidateAudience"] = (With(("ValidateAudience", "false"), ("ValidAudience", null)), o => Assert.False(o.ValidationSettings!.ValidateAudience)),
        ["SigningKeys"] = (With(("SigningKeys:0:Issuer", "dotnet-user-jwts"), ("SigningKeys:0:Id", "k1")),
            o => Assert.Equal(("HS256", "k1", "dotnet-user-jwts"), (o.VerificationKeys[0].Algorithm, o.VerificationKeys[0].KeyId, o.VerificationKeys[0].Issuer))),
        ["IncludeErrorDetails"] = (With(("IncludeErrorDetails", "false")), o => Assert.False(o.IncludeErrorDetails)),
        ["BackchannelTimeout"] = (With(("BackchannelTimeout", "00:00:20")), o => Assert.Equal(TimeSpan.FromSeconds(20), o.RemoteKeys.FetchTimeout)),
        ["BackchannelTimeout equal to RemoteKeys:FetchTimeout"] = (With(("BackchannelTimeout", "00:00:20"), ("RemoteKeys:FetchTimeout", "00:00:20")),
            o => Assert.Equal(TimeSpan.FromSeconds(20), o.RemoteKeys.FetchTimeout)),
        ["RefreshInterval"] = (With(("RefreshInterval", "00:01:00")), o => Assert.Equal(TimeSpan.FromMinutes(1), o.RemoteKeys.UnknownKeyCooldown)),
        ["AutomaticRefreshInterval"] = (With(("AutomaticRefreshInterval", "06:00:00")), o => Assert.Equal(TimeSpan.FromHours(6), o.RemoteKeys.RefreshInterval)),
        ["RefreshOnIssuerKeyNotFound true"] = (With(("RefreshOnIssuerKeyNotFound", "true")),
            o => Assert.Equal(TimeSpan.FromSeconds(30), o.RemoteKeys.UnknownKeyCooldown)),
        ["MapInboundClaims false"] = (With(("MapInboundClaims", "false")), o => Assert.Equal(("name", "role"), (o.NameClaimType, o.RoleClaimType))),
        ["SaveToken"] = (With(("SaveToken", "true")), o => Assert.True(o.SaveToken)),
        ["Challenge Bearer"] = (With(("Challenge", "Bearer")), o => Assert.NotNull(o.ValidationSettings)),
        ["Challenge bearer"] = (With(("Challenge", "bearer")), o => Assert.NotNull(o.ValidationSettings)),
        ["ForwardDefault"] = (With(("ForwardDefault", "Other")), o => Assert.Equal("Other", o.ForwardDefault)),
        ["ForwardAuthenticate"] = (With(("ForwardAuthenticate", "Other")), o => Assert.Equal("Other", o.ForwardAuthenticate)),
        ["ForwardChallenge"] = (With(("ForwardChallenge", "Other")), o => Assert.Equal("Other", o.ForwardChallenge)),
        ["ForwardForbid"] = (With(("ForwardForbid", "Other")), o => Assert.Equal("Other", o.ForwardForbid)),
        ["ForwardSignIn"] = (With(("ForwardSignIn", "Other")), o => Assert.Equal("Other", o.ForwardSignIn)),
        ["ForwardSignOut"] = (With(("ForwardSignOut", "Other")), o => Assert.Equal("Other", o.ForwardSignOut)),
        ["Audience"] = (With(("ValidAudience", null), ("Audience", "api://from-audience")),
            o => Assert.Equal(["api://from-audience"], o.ValidationSettings!.ValidAudiences)),
        ["Audience equal to ValidAudience"] = (With(("Audience", TestJwt.Audience)), o => Assert.Equal([TestJwt.Audience], o.ValidationSettings!.ValidAudiences)),
        ["Audience with ValidAudiences"] = (With(("ValidAudience", null), ("Audience", "api://one"), ("ValidAudiences:0", "api://two")),
            o => Assert.Equal(["api://one", "api://two"], o.ValidationSettings!.ValidAudiences)),
        ["TokenValidationParameters:ValidIssuer"] = (With(("ValidIssuer", null), ("TokenValidationParameters:ValidIssuer", "https://tvp.test")),
            o => Assert.Equal(["https://tvp.test"], o.ValidationSettings!.ValidIssuers)),
        ["TokenValidationParameters:ValidIssuers"] = (With(("TokenValidationParameters:ValidIssuers:0", "https://tvp.test")),
            o => Assert.Equal([TestJwt.Issuer, "https://tvp.test"], o.ValidationSettings!.ValidIssuers)),
        ["TokenValidationParameters:ValidAudience"] = (With(("ValidAudience", null), ("TokenValidationParameters:ValidAudience", "api://tvp")),
            o => Assert.Equal(["api://tvp"], o.ValidationSettings!.ValidAudiences)),
        ["TokenValidationParameters:ValidAudiences"] = (With(("TokenValidationParameters:ValidAudiences:0", "api://tvp")),
            o => Assert.Equal([TestJwt.Audience, "api://tvp"], o.ValidationSettings!.ValidAudiences)),
        ["TokenValidationParameters:ValidateIssuer"] = (With(("ValidIssuer", null), ("TokenValidationParameters:ValidateIssuer", "false")),
            o => Assert.False(o.ValidationSettings!.ValidateIssuer)),
        ["TokenValidationParameters:ValidateAudience"] = (With(("ValidAudience", null), ("TokenValidationParameters:ValidateAudience", "false")),
            o => Assert.False(o.ValidationSettings!.ValidateAudience)),
        ["TokenValidationParameters:ValidateAudience equal to ValidateAudience"] = (With(("ValidateAudience", "True"), ("TokenValidationParameters:ValidateAudience", "true")),
            o => Assert.True(o.ValidationSettings!.ValidateAudience)),
        ["TokenValidationParameters:ClockSkew"] = (With(("TokenValidationParameters:ClockSkew", "00:01:00")), o => Assert.Equal(TimeSpan.FromMinutes(1), o.ClockSkew)),
        ["TokenValidationParameters:NameClaimType"] = (With(("TokenValidationParameters:NameClaimType", "preferred_username")),
            o => Assert.Equal("preferred_username", o.NameClaimType)),
        ["TokenValidationParameters:RoleClaimType"] = (With(("TokenValidationParameters:RoleClaimType", "groups")), o => Assert.Equal("groups", o.RoleClaimType)),
        ["TokenValidationParameters:RequireExpirationTime"] = (With(("TokenValidationParameters:RequireExpirationTime", "false")),
            o => Assert.False(o.ValidationSettings!.RequireExpirationTime)),
        ["TokenValidationParameters:ValidAlgorithms"] = (With(("TokenValidationParameters:ValidAlgorithms:0", "HS256")),
            o => Assert.Equal(["HS256"], o.ValidationSettings!.ValidAlgorithms)),
        ["TokenValidationParameters:ValidAlgorithms with ValidAlgorithms"] = (With(("ValidAlgorithms:0", "HS256"), ("TokenValidationParameters:ValidAlgorithms:0", "HS512")),
            o => Assert.Equal(["HS256", "HS512"], o.ValidationSettings!.ValidAlgorithms)),
        ["TokenValidationParameters:ValidTypes"] = (With(("TokenValidationParameters:ValidTypes:0", "at+jwt")), o => Assert.Equal(["at+jwt"], o.ValidationSettings!.ValidTypes)),
        ["TokenValidationParameters:ValidateLifetime true"] = (With(("TokenValidationParameters:ValidateLifetime", "true")),
            o => Assert.True(o.ValidationSettings!.RequireExpirationTime)),
        ["TokenValidationParameters:RequireSignedTokens true"] = (With(("TokenValidationParameters:RequireSignedTokens", "true")),
            o => Assert.DoesNotContain("none", o.ValidationSettings!.ValidAlgorithms)),
        ["TokenValidationParameters:ValidateIssuerSigningKey true"] = (With(("TokenValidationParameters:ValidateIssuerSigningKey", "true")),
            o => Assert.Single(o.VerificationKeys)),
        ["TokenValidationParameters:ValidateIssuerSigningKey false"] = (With(("TokenValidationParameters:ValidateIssuerSigningKey", "false")),
            o => Assert.Single(o.VerificationKeys)),
        ["TokenValidationParameters:RequireAudience"] = (With(("TokenValidationParameters:RequireAudience", "false")),
            o => Assert.True(o.ValidationSettings!.ValidateAudience)),
        ["TokenValidationParameters:IgnoreTrailingSlashWhenValidatingAudience false"] = (
            With(("TokenValidationParameters:IgnoreTrailingSlashWhenValidatingAudience", "false")),
            o => Assert.Equal([TestJwt.Audience], o.ValidationSettings!.ValidAudiences)),
    };

    /// <summary>Keys refused at start-up: the configuration, then the one message.</summary>
    private static readonly Dictionary<string, (Dictionary<string, string?> Config, string Message)> Refused = new()
    {
        ["MapInboundClaims true"] = (With(("MapInboundClaims", "true")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:MapInboundClaims is 'true', but here claims keep their JWT " +
            "names (sub, name, role, …) and are never renamed to Microsoft's claim type URIs. Remove the setting; choose the claims used " +
            "for Identity.Name and roles with NameClaimType and RoleClaimType, or rename claims with a ClaimsMapper (BearerJwtOptions.ClaimsMapper)."),
        ["RefreshOnIssuerKeyNotFound false"] = (With(("RefreshOnIssuerKeyNotFound", "false")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:RefreshOnIssuerKeyNotFound is 'false', but here a token whose " +
            "kid no key has always causes a key set refresh, at most once per RemoteKeys:UnknownKeyCooldown (default 00:00:30), so that key " +
            "rotation never fails requests. Remove the setting, or raise RemoteKeys:UnknownKeyCooldown to refresh less often."),
        ["Challenge Basic"] = (With(("Challenge", "Basic")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:Challenge is 'Basic', but challenges here always use the Bearer " +
            "scheme (RFC 6750) with the realm from Realm. Remove the setting (set Realm for a realm), or write another WWW-Authenticate " +
            "header in Events.OnChallenge."),
        ["Challenge with a realm"] = (With(("Challenge", "Bearer realm=\"api\"")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:Challenge is 'Bearer realm=\"api\"', but challenges here always " +
            "use the Bearer scheme (RFC 6750) with the realm from Realm. Remove the setting (set Realm for a realm), or write another " +
            "WWW-Authenticate header in Events.OnChallenge."),
        ["BackchannelTimeout and RemoteKeys:FetchTimeout differ"] = (With(("BackchannelTimeout", "00:00:20"), ("RemoteKeys:FetchTimeout", "00:00:10")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:BackchannelTimeout ('00:00:20') and " +
            "Authentication:Schemes:Bearer:RemoteKeys:FetchTimeout ('00:00:10') are both set and differ; they are one setting here " +
            "(the time limit of one key set fetch). Keep one."),
        ["RefreshInterval and RemoteKeys:UnknownKeyCooldown differ"] = (With(("RefreshInterval", "00:01:00"), ("RemoteKeys:UnknownKeyCooldown", "00:00:30")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:RefreshInterval ('00:01:00') and " +
            "Authentication:Schemes:Bearer:RemoteKeys:UnknownKeyCooldown ('00:00:30') are both set and differ; they are one setting here " +
            "(the least time between two key set fetches caused by a token whose kid no key has). Keep one."),
        ["AutomaticRefreshInterval and RemoteKeys:RefreshInterval differ"] = (With(("AutomaticRefreshInterval", "12:00:00"), ("RemoteKeys:RefreshInterval", "01:00:00")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:AutomaticRefreshInterval ('12:00:00') and " +
            "Authentication:Schemes:Bearer:RemoteKeys:RefreshInterval ('01:00:00') are both set and differ; they are one setting here " +
            "(how often key sets are refreshed in the background). Keep one."),
        ["BackchannelTimeout out of range"] = (With(("Authority", Https), ("BackchannelTimeout", "00:10:00"), ("RemoteKeys:PrewarmOnStartup", "false")),
            "BearerJwtOptions.RemoteKeys.FetchTimeout (Authentication:Schemes:Bearer:BackchannelTimeout) must be positive and at most 00:05:00, not 00:10:00."),
        ["Audience and ValidAudience differ"] = (With(("Audience", "api://other")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:Audience ('api://other') and " +
            "Authentication:Schemes:Bearer:ValidAudience ('api://test') are both set and differ (JwtBearer would ignore Audience). " +
            "Keep one, or list both in ValidAudiences."),
        ["no audience at all"] = (With(("ValidAudience", null)),
            "BearerJwtOptions.ValidAudience (Authentication:Schemes:Bearer:ValidAudience) is required: set Audience, ValidAudience or " +
            "ValidAudiences (the audience your tokens carry in aud), or (not recommended) set ValidateAudience to false."),
        ["TokenValidationParameters:ValidateLifetime false"] = (With(("TokenValidationParameters:ValidateLifetime", "false")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:TokenValidationParameters:ValidateLifetime is 'false', but exp, " +
            "nbf and iat are always checked here. Remove it; to accept tokens without exp set RequireExpirationTime to false, and for clocks " +
            "that differ raise ClockSkew (at most 00:05:00)."),
        ["TokenValidationParameters:RequireSignedTokens false"] = (With(("TokenValidationParameters:RequireSignedTokens", "false")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:TokenValidationParameters:RequireSignedTokens is 'false', but " +
            "unsigned tokens (alg 'none') are never accepted here. Remove it."),
        ["TokenValidationParameters:IgnoreTrailingSlashWhenValidatingAudience true"] = (
            With(("TokenValidationParameters:IgnoreTrailingSlashWhenValidatingAudience", "true")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:TokenValidationParameters:IgnoreTrailingSlashWhenValidatingAudience " +
            "is 'true', but audiences compare exactly here. Remove it, and list each spelling your tokens carry (with and without the '/') in ValidAudiences."),
        ["TokenValidationParameters:ValidIssuer and ValidIssuer differ"] = (With(("TokenValidationParameters:ValidIssuer", "https://other.test")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:ValidIssuer ('https://issuer.test') and " +
            "Authentication:Schemes:Bearer:TokenValidationParameters:ValidIssuer ('https://other.test') are both set and differ. Keep one."),
        ["TokenValidationParameters:ValidateAudience and ValidateAudience differ"] = (
            With(("ValidateAudience", "true"), ("TokenValidationParameters:ValidateAudience", "false")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:ValidateAudience ('true') and " +
            "Authentication:Schemes:Bearer:TokenValidationParameters:ValidateAudience ('false') are both set and differ. Keep one."),
        ["TokenValidationParameters:ClockSkew and ClockSkew differ"] = (With(("ClockSkew", "00:00:30"), ("TokenValidationParameters:ClockSkew", "00:01:00")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:ClockSkew ('00:00:30') and " +
            "Authentication:Schemes:Bearer:TokenValidationParameters:ClockSkew ('00:01:00') are both set and differ. Keep one."),
        ["TokenValidationParameters:ClockSkew out of range"] = (With(("TokenValidationParameters:ClockSkew", "00:10:00")),
            "BearerJwtOptions.ClockSkew (Authentication:Schemes:Bearer:TokenValidationParameters:ClockSkew) must be between 00:00:00 and 00:05:00, not 00:10:00."),
        ["TokenValidationParameters:ValidateLifetime unreadable"] = (With(("TokenValidationParameters:ValidateLifetime", "no")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:TokenValidationParameters:ValidateLifetime must be true or false, not 'no'."),
        ["SaveToken unreadable"] = (With(("SaveToken", "yes")),
            "Configuration for scheme 'Bearer': Authentication:Schemes:Bearer:SaveToken must be true or false, not 'yes'."),
    };

    public static TheoryData<string> SameEffectKeys => [.. SameEffect.Keys];

    public static TheoryData<string> RefusedKeys => [.. Refused.Keys];

    [Theory]
    [MemberData(nameof(SameEffectKeys))]
    public void A_JwtBearer_key_has_the_same_effect_here(string row)
    {
        var (config, assert) = SameEffect[row];
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();

        var options = ConfiguredScheme.Options(config, logs: logs);

        assert(options);

        // Read, not merely tolerated: a key nothing reads is warned about (and a default-valued row proves nothing else).
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Name == "UnknownConfigurationKey");
    }

    [Theory]
    [MemberData(nameof(RefusedKeys))]
    public void A_JwtBearer_key_that_would_differ_stops_start_up_with_one_message_naming_our_equivalent(string row)
    {
        var (config, message) = Refused[row];

        var failure = Assert.Single(Failures(config));

        Assert.Equal(message, failure);
    }

    /// <summary>
    /// The keys Microsoft's JwtBearer reads from <c>Authentication:Schemes:{scheme}</c>, found by asking it rather than
    /// by copying its source: each key a <c>JwtBearerOptions</c> property could be bound from (and the
    /// <c>TokenValidationParameters</c> list keys) is set alone to a value no default has, and the key counts as read
    /// when JwtBearer's options come out different. Every key it reads must have a row above.
    /// </summary>
    [Fact]
    public void Every_key_Microsofts_JwtBearer_reads_from_configuration_has_a_row()
    {
        var baseline = JwtBearerOptionsShape(new Dictionary<string, string?>());
        var read = new List<string>();
        foreach (var (key, value) in JwtBearerCandidateKeys())
        {
            if (JwtBearerOptionsShape(new Dictionary<string, string?> { ["Authentication:Schemes:Bearer:" + key] = value }) != baseline)
            {
                read.Add(key.Split(':')[0]);
            }
        }

        // The oracle itself must see the keys everyone knows it reads, or it proves nothing.
        Assert.Contains("Authority", read);
        Assert.Contains("ValidIssuers", read);
        Assert.Contains("SigningKeys", read);
        Assert.Contains("ValidIssuer", read);
        Assert.All(read, key => Assert.Contains(SameEffect.Keys.Concat(Refused.Keys), row => row == key || row.StartsWith(key + " ", StringComparison.Ordinal)));
    }

    /// <summary>Each simple property of <c>JwtBearerOptions</c> with a value unlike its default, plus the list keys its binder reads.</summary>
    private static IEnumerable<(string Key, string Value)> JwtBearerCandidateKeys()
    {
        var defaults = new JwtBearerOptions();
        foreach (var property in typeof(JwtBearerOptions).GetProperties())
        {
            if (!property.CanWrite)
            {
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type == typeof(string))
            {
                yield return (property.Name, "https://oracle.test/" + property.Name);
            }
            else if (type == typeof(bool))
            {
                yield return (property.Name, (!(bool)property.GetValue(defaults)!).ToString());
            }
            else if (type == typeof(TimeSpan))
            {
                yield return (property.Name, "00:00:07");
            }
        }

        yield return ("ValidIssuer", "https://oracle.test/issuer");
        yield return ("ValidIssuers:0", "https://oracle.test/issuer");
        yield return ("ValidAudience", "api://oracle");
        yield return ("ValidAudiences:0", "api://oracle");
        yield return ("SigningKeys:0:Issuer", "https://oracle.test/issuer");
    }

    /// <summary>What JwtBearer's configuration binding produced for <paramref name="configuration"/>, as comparable text.</summary>
    private static string JwtBearerOptionsShape(Dictionary<string, string?> configuration)
    {
        if (configuration.Keys.Any(k => k.Contains("SigningKeys", StringComparison.Ordinal)))
        {
            // A key set only counts for the issuers it names (JwtBearer's rule), and needs a secret.
            configuration["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = ConfiguredScheme.KeyBase64;
            configuration["Authentication:Schemes:Bearer:ValidIssuer"] = "https://oracle.test/issuer";
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(
            new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        services.AddAuthentication().AddJwtBearer();
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>()
            .Get(JwtBearerDefaults.AuthenticationScheme);
        var shape = new System.Text.StringBuilder();
        foreach (var property in typeof(JwtBearerOptions).GetProperties())
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type == typeof(string) || type == typeof(bool) || type == typeof(TimeSpan))
            {
                shape.Append(property.Name).Append('=').Append(property.GetValue(options)).Append(';');
            }
        }

        var parameters = options.TokenValidationParameters;
        shape.Append("issuer=").Append(parameters.ValidIssuer).Append(";audience=").Append(parameters.ValidAudience)
            .Append(";issuers=").AppendJoin(',', parameters.ValidIssuers ?? []).Append(";audiences=").AppendJoin(',', parameters.ValidAudiences ?? [])
            .Append(";keys=").Append(parameters.IssuerSigningKeys?.Count() ?? 0);
        return shape.ToString();
    }
}
