using Microsoft.Extensions.Configuration;

namespace Bearer.Auth;

/// <summary>
/// The configuration keys of Microsoft's JwtBearer handler that are not ours by name: what
/// <c>JwtBearerConfigureOptions</c> binds, <c>Audience</c> and <c>AutomaticRefreshInterval</c> (bound when users
/// <c>Bind</c> a section onto <c>JwtBearerOptions</c>) and <c>TokenValidationParameters:*</c>. Each either sets the
/// setting of ours that has the same effect or is recorded as a start-up error that names our equivalent; none is
/// ignored. A key given under both names with different values is an error naming both: we never guess which wins.
/// </summary>
internal static class JwtBearerKeys
{
    private const string Parameters = "TokenValidationParameters";

    internal static void Read(IConfiguration section, ConfigurationSectionReader reader, string path, BearerJwtOptions options)
    {
        var errors = options.ConfigurationErrors;
        ReadTokenValidationParameters(section, path, options);
        ReadAudience(section, path, options);

        var remoteSection = section.GetSection("RemoteKeys");
        var remote = options.RemoteKeys;
        AliasTimeSpan(section, reader, remoteSection, path, options, "BackchannelTimeout", nameof(RemoteKeySetOptions.FetchTimeout),
            "the time limit of one key set fetch", v => remote.FetchTimeout = v);
        AliasTimeSpan(section, reader, remoteSection, path, options, "RefreshInterval", nameof(RemoteKeySetOptions.UnknownKeyCooldown),
            "the least time between two key set fetches caused by a token whose kid no key has", v => remote.UnknownKeyCooldown = v);
        AliasTimeSpan(section, reader, remoteSection, path, options, "AutomaticRefreshInterval", nameof(RemoteKeySetOptions.RefreshInterval),
            "how often key sets are refreshed in the background", v => remote.RefreshInterval = v);

        if (reader.Bool("RefreshOnIssuerKeyNotFound") == false)
        {
            errors.Add($"{path}:RefreshOnIssuerKeyNotFound is 'false', but here a token whose kid no key has always causes a key set " +
                "refresh, at most once per RemoteKeys:UnknownKeyCooldown (default 00:00:30), so that key rotation never fails requests. " +
                "Remove the setting, or raise RemoteKeys:UnknownKeyCooldown to refresh less often.");
        }

        if (reader.Bool("MapInboundClaims") == true)
        {
            errors.Add($"{path}:MapInboundClaims is 'true', but here claims keep their JWT names (sub, name, role, …) and are never " +
                "renamed to Microsoft's claim type URIs. Remove the setting; choose the claims used for Identity.Name and roles with " +
                "NameClaimType and RoleClaimType, or rename claims with a ClaimsMapper (BearerJwtOptions.ClaimsMapper).");
        }

        if (section["Challenge"] is { } challenge && !challenge.Trim().Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{path}:Challenge is '{challenge}', but challenges here always use the Bearer scheme (RFC 6750) with the realm " +
                "from Realm. Remove the setting (set Realm for a realm), or write another WWW-Authenticate header in Events.OnChallenge.");
        }
    }

    /// <summary>
    /// <c>TokenValidationParameters:*</c>: keys with a meaning here read as the key of ours with that name; keys that
    /// would turn off a check we always make are errors saying what to do instead. Other keys are reported as unknown.
    /// </summary>
    private static void ReadTokenValidationParameters(IConfiguration section, string path, BearerJwtOptions options)
    {
        var parameters = section.GetSection(Parameters);
        if (!parameters.GetChildren().Any())
        {
            return;
        }

        var errors = options.ConfigurationErrors;
        var prefix = $"{path}:{Parameters}";
        var reader = new ConfigurationSectionReader(parameters, prefix, errors, options.UnreadableKeys);
        var top = new ConfigurationSectionReader(section, path, errors);

        SameString(section, parameters, path, options, nameof(BearerJwtOptions.ValidIssuer), v => options.ValidIssuer = v);
        SameString(section, parameters, path, options, nameof(BearerJwtOptions.ValidAudience), v => options.ValidAudience = v);
        SameString(section, parameters, path, options, nameof(BearerJwtOptions.NameClaimType), v => options.NameClaimType = v);
        SameString(section, parameters, path, options, nameof(BearerJwtOptions.RoleClaimType), v => options.RoleClaimType = v);
        SameBool(reader, section, path, options, nameof(BearerJwtOptions.ValidateIssuer), v => options.ValidateIssuer = v);
        SameBool(reader, section, path, options, nameof(BearerJwtOptions.ValidateAudience), v => options.ValidateAudience = v);
        SameBool(reader, section, path, options, nameof(BearerJwtOptions.RequireExpirationTime), v => options.RequireExpirationTime = v);
        if (reader.TimeSpan(nameof(BearerJwtOptions.ClockSkew)) is { } skew)
        {
            // A value of ours that cannot be read is reported already: it is not a second, different value.
            Same(section, path, options, nameof(BearerJwtOptions.ClockSkew),
                ours => !ConfigurationSectionReader.TryParseTimeSpan(ours, out var oursSkew) || oursSkew == skew,
                () => options.ClockSkew = skew);
        }

        // Lists add up; the two strict default lists are replaced by the first configuration that names them.
        reader.AddStrings(nameof(BearerJwtOptions.ValidIssuers), options.ValidIssuers, replace: false);
        reader.AddStrings(nameof(BearerJwtOptions.ValidAudiences), options.ValidAudiences, replace: false);
        reader.AddStrings(nameof(BearerJwtOptions.ValidAlgorithms), options.ValidAlgorithms, replace: !top.Has(nameof(BearerJwtOptions.ValidAlgorithms)));
        reader.AddStrings(nameof(BearerJwtOptions.ValidTypes), options.ValidTypes, replace: !top.Has(nameof(BearerJwtOptions.ValidTypes)));

        if (reader.Bool("ValidateLifetime") == false)
        {
            errors.Add($"{prefix}:ValidateLifetime is 'false', but exp, nbf and iat are always checked here. Remove it; to accept " +
                "tokens without exp set RequireExpirationTime to false, and for clocks that differ raise ClockSkew (at most 00:05:00).");
        }

        if (reader.Bool("RequireSignedTokens") == false)
        {
            errors.Add($"{prefix}:RequireSignedTokens is 'false', but unsigned tokens (alg 'none') are never accepted here. Remove it.");
        }

        if (reader.Bool("IgnoreTrailingSlashWhenValidatingAudience") == true)
        {
            errors.Add($"{prefix}:IgnoreTrailingSlashWhenValidatingAudience is 'true', but audiences compare exactly here. Remove it, " +
                "and list each spelling your tokens carry (with and without the '/') in ValidAudiences.");
        }

        // What these ask for is what happens here whatever their value: signatures are always verified with the
        // configured keys (a key's certificate is not checked either way), and a JWT's aud is required whenever
        // audiences are validated (RequireAudience only concerns SAML tokens). Read to report unreadable values.
        _ = reader.Bool("ValidateIssuerSigningKey");
        _ = reader.Bool("RequireAudience");
    }

    /// <summary>
    /// <c>Audience</c>, as JwtBearer reads it: a valid audience, used when <c>ValidAudience</c> is not set. JwtBearer
    /// silently ignores it when <c>ValidAudience</c> is also set; here two different values are an error.
    /// </summary>
    private static void ReadAudience(IConfiguration section, string path, BearerJwtOptions options)
    {
        if (section["Audience"] is not { } audience)
        {
            return;
        }

        if (string.IsNullOrEmpty(options.ValidAudience))
        {
            options.ValidAudience = audience;
            options.SettingSources[nameof(BearerJwtOptions.ValidAudience)] = "Audience";
        }
        else if (!string.Equals(options.ValidAudience, audience, StringComparison.Ordinal))
        {
            var where = options.SettingSources.TryGetValue(nameof(BearerJwtOptions.ValidAudience), out var source) ? source : nameof(BearerJwtOptions.ValidAudience);
            options.ConfigurationErrors.Add($"{path}:Audience ('{audience}') and {path}:{where} ('{options.ValidAudience}') are both set and differ " +
                "(JwtBearer would ignore Audience). Keep one, or list both in ValidAudiences.");
        }
    }

    /// <summary>
    /// A JwtBearer time span whose setting here is <c>RemoteKeys:{ours}</c>: it sets that setting unless that is set
    /// too, to another value.
    /// </summary>
    private static void AliasTimeSpan(IConfiguration section, ConfigurationSectionReader reader, IConfiguration remoteSection, string path,
        BearerJwtOptions options, string alias, string ours, string meaning, Action<TimeSpan> apply)
    {
        if (reader.TimeSpan(alias) is not { } value)
        {
            return;
        }

        var oursText = remoteSection[ours];
        if (oursText is null)
        {
            apply(value);
            options.SettingSources["RemoteKeys:" + ours] = alias;
        }
        else if (ConfigurationSectionReader.TryParseTimeSpan(oursText, out var oursValue) && oursValue != value)
        {
            options.ConfigurationErrors.Add($"{path}:{alias} ('{section[alias]}') and {path}:RemoteKeys:{ours} ('{oursText}') are both set and " +
                $"differ; they are one setting here ({meaning}). Keep one.");
        }
    }

    private static void SameString(IConfiguration section, IConfiguration parameters, string path, BearerJwtOptions options, string key, Action<string> apply)
    {
        if (parameters[key] is { } value)
        {
            Same(section, path, options, key, ours => string.Equals(ours, value, StringComparison.Ordinal), () => apply(value));
        }
    }

    private static void SameBool(ConfigurationSectionReader parameters, IConfiguration section, string path, BearerJwtOptions options, string key, Action<bool> apply)
    {
        if (parameters.Bool(key) is { } value)
        {
            Same(section, path, options, key, ours => !bool.TryParse(ours, out var oursValue) || oursValue == value, () => apply(value));
        }
    }

    /// <summary>
    /// A key of ours given again under <c>TokenValidationParameters</c>: the value there applies when ours is not
    /// set, and is an error when ours is set to something else.
    /// </summary>
    private static void Same(IConfiguration section, string path, BearerJwtOptions options, string key, Func<string, bool> equalsOurs, Action apply)
    {
        var ours = section[key];
        if (ours is null)
        {
            apply();
            options.SettingSources[key] = $"{Parameters}:{key}";
        }
        else if (!equalsOurs(ours))
        {
            options.ConfigurationErrors.Add($"{path}:{key} ('{ours}') and {path}:{Parameters}:{key} ('{section.GetSection(Parameters)[key]}') " +
                "are both set and differ. Keep one.");
        }
    }
}
