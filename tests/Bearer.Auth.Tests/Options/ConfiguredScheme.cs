using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Tests.Options;

/// <summary>
/// The scheme <c>Bearer</c> built from configuration (and optional code), without starting a host: resolving the
/// options runs binding, post-configuration and validation, as <c>ValidateOnStart</c> does.
/// </summary>
internal static class ConfiguredScheme
{
    internal const string SectionPath = "Authentication:Schemes:Bearer";
    internal const string Prefix = SectionPath + ":";

    internal static readonly string KeyBase64 = Convert.ToBase64String(PipelineHost.Key);

    /// <summary>Issuer, audience and the pipeline's HS256 key, all from configuration.</summary>
    internal static Dictionary<string, string?> Minimal() => new()
    {
        [Prefix + "ValidIssuer"] = TestJwt.Issuer,
        [Prefix + "ValidAudience"] = TestJwt.Audience,
        [Prefix + "SigningKeys:0:Value"] = KeyBase64,
        [Prefix + "SigningKeys:0:Length"] = "32",
    };

    /// <summary><see cref="Minimal"/> with <paramref name="entries"/> (keys relative to the scheme) added or replaced; a null value removes.</summary>
    internal static Dictionary<string, string?> With(params (string Key, string? Value)[] entries)
    {
        var config = Minimal();
        foreach (var (key, value) in entries)
        {
            if (value is null)
            {
                config.Remove(Prefix + key);
            }
            else
            {
                config[Prefix + key] = value;
            }
        }

        return config;
    }

    /// <summary>The validated options, or the <see cref="OptionsValidationException"/> start-up would stop with.</summary>
    internal static BearerJwtOptions Options(IReadOnlyDictionary<string, string?> configuration, Action<BearerJwtOptions>? code = null, FakeLogCollector? logs = null)
    {
        using var host = PipelineHost.Build(new PipelineSetup { Configuration = configuration, Options = code ?? (_ => { }) }, logs);
        return host.Services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get(BearerJwtDefaults.AuthenticationScheme);
    }

    /// <summary>The messages start-up stops with.</summary>
    internal static IReadOnlyList<string> Failures(IReadOnlyDictionary<string, string?> configuration, Action<BearerJwtOptions>? code = null) =>
        [.. Assert.Throws<OptionsValidationException>(() => Options(configuration, code)).Failures];
}
