using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bearer.Auth;

/// <summary>
/// Turns the final options into what the handler runs: the fixed keys (code keys plus configured <c>Jwks</c> and
/// <c>JwksPath</c>), one key resolver composed of those keys, the remote sources and the application's own resolver,
/// the revocation check and claims mapper from DI (or the defaults), and from all of these the immutable
/// <see cref="TokenValidationSettings"/> and the validator. Options validation (<c>ValidateOnStart</c>) then checks
/// the result and stops start-up on any problem.
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
        var keys = new List<VerificationKey>(options.VerificationKeys);
        AddJwks(options, keys, _services.GetService<IHostEnvironment>()?.ContentRootPath);
        options.ConfiguredKeys = keys;

        options.RevocationCheck ??= _services.GetService<ITokenRevocationCheck>()
            ?? (ITokenRevocationCheck?)_services.GetService<ITokenRevocationStore>()
            ?? NoTokenRevocationCheck.Instance;
        options.ClaimsMapper ??= _services.GetService<IClaimsMapper>() ?? DefaultClaimsMapper(options);

        var meterFactory = _services.GetService<IMeterFactory>();
        var settings = new TokenValidationSettings
        {
            KeyResolver = ComposeKeyResolver(options, keys),
            RevocationCheck = options.RevocationCheck,
            ValidIssuers = options.AllValidIssuers(),
            ValidAudiences = options.AllValidAudiences(),
            ValidateIssuer = options.ValidateIssuer,
            ValidateAudience = options.ValidateAudience,
            RequireExpirationTime = options.RequireExpirationTime,
            ClockSkew = options.ClockSkew,
            ValidAlgorithms = [.. options.ValidAlgorithms],
            ValidTypes = [.. options.ValidTypes],
            AllowMissingType = options.AllowMissingType,
            MaxTokenSize = options.MaxTokenSize,
            RepeatTokenCacheSize = options.RepeatTokenCacheSize,
            TimeProvider = options.TimeProvider,
            MeterFactory = meterFactory,
        };
        options.ValidationSettings = settings;
        options.Validator = BearerJwtValidator.ForValidatedSettings(settings);
        options.Telemetry = options.Validator.Telemetry;
    }

    /// <summary>
    /// One resolver over everything that supplies keys: the fixed keys, the remote sources (built only when every
    /// entry is valid; otherwise options validation reports the entries and start-up stops) and the application's own.
    /// </summary>
    private IKeyResolver ComposeKeyResolver(BearerJwtOptions options, List<VerificationKey> keys)
    {
        var resolvers = new List<IKeyResolver>();
        if (keys.Count > 0 || (options.KeyResolver is null && !options.RemoteKeyEntries().Any()))
        {
            resolvers.Add(new StaticKeyResolver(keys));
        }

        if (CreateRemoteKeyResolver(options) is { } remote)
        {
            options.OwnedKeySources = remote;
            resolvers.Add(remote);
        }

        if (options.KeyResolver is { } custom)
        {
            resolvers.Add(custom);
        }

        return resolvers.Count == 1 ? resolvers[0] : new CompositeKeyResolver(resolvers);
    }

    private RemoteKeyResolver? CreateRemoteKeyResolver(BearerJwtOptions options)
    {
        var endpoints = new List<RemoteKeyEndpoint>();
        foreach (var (prefix, entry, requireHttps) in options.RemoteKeyEntries())
        {
            if (RemoteKeyEndpoint.Create(prefix, entry, requireHttps, options.MetadataIssuersOf(prefix), static (_, _) => { }) is not { } endpoint)
            {
                return null;
            }

            endpoints.Add(endpoint);
        }

        if (endpoints.Count == 0 || options.RemoteKeys.FindProblems().Count > 0)
        {
            return null;
        }

        if (_services.GetService<IHttpClientFactory>() is not { } httpClientFactory)
        {
            options.ConfigurationErrors.Add("Remote key sources need an IHttpClientFactory: register one with services.AddHttpClient().");
            return null;
        }

        return new RemoteKeyResolver(endpoints, options.RemoteKeys, httpClientFactory, options.TimeProvider, _services.GetService<ILoggerFactory>());
    }

    /// <summary>The built-in mapping; none for empty claim types, which options validation refuses (naming them) next.</summary>
    private static JwtClaimsMapper? DefaultClaimsMapper(BearerJwtOptions options) =>
        string.IsNullOrEmpty(options.NameClaimType) || string.IsNullOrEmpty(options.RoleClaimType)
            ? null
            : new JwtClaimsMapper(options.NameClaimType, options.RoleClaimType, options.RoleClaimPaths);

    private static void AddJwks(BearerJwtOptions options, List<VerificationKey> keys, string? contentRoot)
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
                options.KeySettingRefused = true;
                return;
            }

            AddJwks(text, nameof(BearerJwtOptions.JwksPath), options, keys);
        }
    }

    private static void AddJwks(string json, string setting, BearerJwtOptions options, List<VerificationKey> keys)
    {
        var result = JsonWebKeySetReader.Read(json, issuer: null, allowSymmetricKeys: true);
        foreach (var problem in result.Problems)
        {
            options.ConfigurationErrors.Add($"{setting}: {problem}");
            options.KeySettingRefused = true;
        }

        keys.AddRange(result.Keys);
    }
}
