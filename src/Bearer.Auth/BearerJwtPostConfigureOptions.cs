using Bearer.Auth.Claims;
using Bearer.Auth.Keys;
using Bearer.Auth.Revocation;
using Bearer.Auth.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bearer.Auth;

/// <summary>
/// Fills in what the application left empty, once the options are final: the key set (code keys plus configured
/// <c>Jwks</c>/<c>JwksPath</c>), the key resolver, the revocation check and claims mapper from DI (or the
/// defaults), the clock, and the validator the handler uses.
/// </summary>
internal sealed class BearerJwtPostConfigureOptions : IPostConfigureOptions<BearerJwtOptions>
{
    private readonly IServiceProvider _services;
    private readonly TimeProvider _timeProvider;

    public BearerJwtPostConfigureOptions(IServiceProvider services, TimeProvider timeProvider)
    {
        _services = services;
        _timeProvider = timeProvider;
    }

    public void PostConfigure(string? name, BearerJwtOptions options)
    {
        options.TimeProvider ??= _timeProvider;
        if (options.KeyResolver is null)
        {
            var keys = new List<SigningKey>(options.SigningKeys);
            AddJwks(options, keys, _services.GetService<IHostEnvironment>()?.ContentRootPath);
            options.KeyResolver = Keys.Remote.RemoteSigningKeyResolver.Create(options, keys, _services, options.TimeProvider);
        }

        options.RevocationCheck ??= _services.GetService<ITokenRevocationCheck>() ?? NoTokenRevocationCheck.Instance;
        options.ClaimsMapper ??= _services.GetService<IClaimsMapper>()
            ?? new JwtClaimsMapper(options.NameClaimType, options.RoleClaimType, options.RoleClaimPaths);
        options.Validator = BearerTokenValidator.ForConfiguredOptions(options, options.TimeProvider);
    }

    private static void AddJwks(BearerJwtOptions options, List<SigningKey> keys, string? contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(options.Jwks))
        {
            AddJwks(options.Jwks, nameof(BearerJwtOptions.Jwks), options, keys);
        }

        if (!string.IsNullOrWhiteSpace(options.JwksPath))
        {
            string text;
            try
            {
                // Like appsettings.json, a relative path is read from the content root, not the working directory.
                text = File.ReadAllText(contentRoot is null ? options.JwksPath : Path.Combine(contentRoot, options.JwksPath));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                options.ConfigurationErrors.Add($"JwksPath: the file '{options.JwksPath}' cannot be read ({ex.GetType().Name}).");
                return;
            }

            AddJwks(text, nameof(BearerJwtOptions.JwksPath), options, keys);
        }
    }

    private static void AddJwks(string json, string setting, BearerJwtOptions options, List<SigningKey> keys)
    {
        var result = JsonWebKeySetReader.Read(json, issuer: null, allowSymmetricKeys: true);
        foreach (var problem in result.Problems)
        {
            options.ConfigurationErrors.Add($"{setting}: {problem}");
        }

        keys.AddRange(result.Keys);
    }
}
