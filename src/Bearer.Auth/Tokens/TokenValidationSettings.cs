using System.Diagnostics.Metrics;

namespace Bearer.Auth;

/// <summary>
/// Everything <see cref="BearerJwtValidator"/> decides by: issuers, audiences, algorithms, types, lifetime rules,
/// limits, and the key resolver and revocation check. Immutable: lists are copied when set. The ASP.NET Core handler
/// builds one from its options at start-up; create one directly to validate tokens without it. Every default is the
/// strict one.
/// </summary>
public sealed record TokenValidationSettings
{
    private readonly string[] _validIssuers = [];
    private readonly string[] _validAudiences = [];
    private readonly string[] _validAlgorithms = [.. JwsAlgorithms.All];
    private readonly string[] _validTypes = [.. DefaultTypes];

    /// <summary>The default <see cref="ValidTypes"/>: <c>JWT</c>, <c>at+jwt</c>, <c>application/at+jwt</c>.</summary>
    internal static readonly string[] DefaultTypes = ["JWT", "at+jwt", "application/at+jwt"];

    /// <summary>The largest <see cref="ClockSkew"/> accepted: 5 minutes.</summary>
    internal static readonly TimeSpan MaximumClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Gets the key resolver that finds the keys a token may be verified with. Required.</summary>
    public required IKeyResolver KeyResolver { get; init; }

    /// <summary>Gets the revocation check run after every other check. Default: none (no token is revoked).</summary>
    public ITokenRevocationCheck? RevocationCheck { get; init; }

    /// <summary>
    /// Gets the valid issuers (<c>iss</c>), compared ordinally and exactly. A key bound to an issuer also makes that
    /// issuer valid, for that key only. Default: empty.
    /// </summary>
    public IReadOnlyList<string> ValidIssuers { get => _validIssuers; init => _validIssuers = Copy(value, nameof(ValidIssuers), dropEmpty: true); }

    /// <summary>Gets the valid audiences; <c>aud</c> (string or array) must contain one, exactly. Default: empty.</summary>
    public IReadOnlyList<string> ValidAudiences { get => _validAudiences; init => _validAudiences = Copy(value, nameof(ValidAudiences), dropEmpty: true); }

    /// <summary>Gets whether <c>iss</c> must be valid. Default: <see langword="true"/>; turning it off is a relaxation.</summary>
    public bool ValidateIssuer { get; init; } = true;

    /// <summary>Gets whether <c>aud</c> must contain a valid audience. Default: <see langword="true"/>; turning it off is a relaxation.</summary>
    public bool ValidateAudience { get; init; } = true;

    /// <summary>Gets whether tokens without <c>exp</c> are refused. Default: <see langword="true"/>.</summary>
    public bool RequireExpirationTime { get; init; } = true;

    /// <summary>Gets the tolerated clock difference for <c>exp</c>, <c>nbf</c> and <c>iat</c>, at most 5 minutes. Default: 30 seconds.</summary>
    public TimeSpan ClockSkew { get; init; } = BearerJwtDefaults.ClockSkew;

    /// <summary>Gets the algorithms a token's <c>alg</c> may name, from <see cref="JwsAlgorithms.All"/>. Default: all of them.</summary>
    public IReadOnlyList<string> ValidAlgorithms { get => _validAlgorithms; init => _validAlgorithms = Copy(value, nameof(ValidAlgorithms), dropEmpty: false); }

    /// <summary>
    /// Gets the accepted <c>typ</c> values (case-insensitive; an <c>application/</c> prefix is optional). Default:
    /// <c>JWT</c>, <c>at+jwt</c>, <c>application/at+jwt</c>.
    /// </summary>
    public IReadOnlyList<string> ValidTypes { get => _validTypes; init => _validTypes = Copy(value, nameof(ValidTypes), dropEmpty: false); }

    /// <summary>Gets whether a token without <c>typ</c> is accepted. Default: <see langword="true"/>.</summary>
    public bool AllowMissingType { get; init; } = true;

    /// <summary>Gets the largest token accepted, in characters; checked before anything else. Default: 16384.</summary>
    public int MaxTokenSize { get; init; } = BearerJwtDefaults.MaxTokenSize;

    /// <summary>
    /// Gets how many already-verified tokens are remembered so that the same token, presented again, skips parsing
    /// and signature verification (every other check still runs). Default: 1,024; 0 turns the cache off; at most
    /// 1,000,000.
    /// </summary>
    public int RepeatTokenCacheSize { get; init; } = BearerJwtDefaults.RepeatTokenCacheSize;

    /// <summary>Gets the clock. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Gets the factory of the <c>Bearer.Auth</c> <see cref="Meter"/> (from DI in a host). Default: none, and a
    /// process-wide meter is used.
    /// </summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>
    /// Every problem with these settings as (setting, message): what <see cref="BearerJwtValidator"/> refuses and what
    /// options validation reports at start-up. Empty when the settings are usable.
    /// </summary>
    internal List<(string Setting, string Message)> FindProblems()
    {
        var problems = new List<(string, string)>();
        if (MaxTokenSize <= 0)
        {
            problems.Add((nameof(MaxTokenSize), "must be a positive number of characters."));
        }

        if (RepeatTokenCacheSize < 0 || RepeatTokenCacheSize > RepeatTokenCache.MaxCapacity)
        {
            problems.Add((nameof(RepeatTokenCacheSize), $"must be between 0 (off) and {RepeatTokenCache.MaxCapacity}, not {RepeatTokenCacheSize}."));
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > MaximumClockSkew)
        {
            problems.Add((nameof(ClockSkew), $"must be between 00:00:00 and {MaximumClockSkew}, not {ClockSkew}."));
        }

        if (_validAlgorithms.Length == 0)
        {
            problems.Add((nameof(ValidAlgorithms), "must list at least one algorithm."));
        }

        foreach (var algorithm in _validAlgorithms)
        {
            if (JwsAlgorithms.IndexOf(algorithm) < 0)
            {
                problems.Add((nameof(ValidAlgorithms), $"contains '{algorithm}', which is not one of {string.Join(", ", JwsAlgorithms.All)}."));
            }
        }

        foreach (var type in _validTypes)
        {
            if (string.IsNullOrWhiteSpace(type))
            {
                problems.Add((nameof(ValidTypes), "contains an empty value."));
            }
        }

        if (ValidateAudience && _validAudiences.Length == 0)
        {
            problems.Add((nameof(ValidAudiences), "is required: list the valid audiences, or (not recommended) turn ValidateAudience off."));
        }

        // Only a static key set can be checked here; other resolvers' keys are known when they are fetched.
        if (KeyResolver is StaticKeyResolver staticKeys)
        {
            if (staticKeys.Keys.Count == 0)
            {
                problems.Add((nameof(KeyResolver), "has no keys: give the StaticKeyResolver at least one key."));
            }

            foreach (var problem in StaticKeyChecks.FindProblems(staticKeys.Keys, _validAlgorithms))
            {
                problems.Add((nameof(KeyResolver), problem));
            }

            if (ValidateIssuer && _validIssuers.Length == 0 && !StaticKeyChecks.BindsAnIssuer(staticKeys.Keys))
            {
                problems.Add((nameof(ValidIssuers), "is required: list the valid issuers, bind the keys to an issuer, or (not recommended) turn ValidateIssuer off."));
            }
        }

        return problems;
    }

    private static string[] Copy(IEnumerable<string> values, string setting, bool dropEmpty)
    {
        ArgumentNullException.ThrowIfNull(values, setting);
        var list = new List<string>();
        foreach (var item in values)
        {
            // A null from a list the app filled in is kept as "" where an empty entry is a problem FindProblems names.
            var value = item ?? string.Empty;
            if ((!dropEmpty || value.Length > 0) && !list.Contains(value, StringComparer.Ordinal))
            {
                list.Add(value);
            }
        }

        return [.. list];
    }
}
