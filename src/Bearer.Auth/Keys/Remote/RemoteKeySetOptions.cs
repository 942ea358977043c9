namespace Bearer.Auth;

/// <summary>
/// How remote key sets (JWKS and OpenID Connect discovery) are fetched, cached and refreshed. Shared by every
/// remote source of a scheme. Bound from <c>Authentication:Schemes:{scheme}:RemoteKeys</c>.
/// </summary>
public sealed class RemoteKeySetOptions
{
    private static readonly TimeSpan MaximumFetchTimeout = TimeSpan.FromMinutes(5);
    private const int MaximumResponseSizeLimit = 64 * 1024 * 1024;

    /// <summary>The default name of the <see cref="System.Net.Http.IHttpClientFactory"/> client: <c>Bearer.Auth.Keys</c>.</summary>
    public const string DefaultHttpClientName = "Bearer.Auth.Keys";

    /// <summary>
    /// Gets or sets how often a key set is refreshed in the background. A shorter <c>Cache-Control: max-age</c> on
    /// the response shortens it, within <see cref="MinimumRefreshInterval"/> and <see cref="MaximumRefreshInterval"/>.
    /// Default: 1 hour.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the shortest background refresh interval, whatever <c>max-age</c> says. Default: 5 minutes.</summary>
    public TimeSpan MinimumRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the longest background refresh interval <see cref="RefreshInterval"/> may be set to. Default: 24 hours.</summary>
    public TimeSpan MaximumRefreshInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets the least time between two fetches caused by tokens whose <c>kid</c> no cached key has.
    /// Concurrent requests share one fetch; within the cooldown an unknown <c>kid</c> fails without a fetch.
    /// Default: 30 seconds.
    /// </summary>
    public TimeSpan UnknownKeyCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the time limit of one fetch (metadata and key set together). Default: 10 seconds.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how long a request waits for a fetch it needs (no key set yet, or an unknown <c>kid</c>) before it
    /// fails with <c>key_source_unavailable</c>; the fetch itself continues. Default: 5 seconds.
    /// </summary>
    public TimeSpan RefreshWaitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long the last good key set keeps being used while fetches fail, counted from its last
    /// successful fetch. Past it, tokens fail with <c>key_source_unavailable</c>. Default: 24 hours.
    /// </summary>
    public TimeSpan MaximumStaleness { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets the first retry delay after a failed fetch; it doubles on each failure. Default: 5 seconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the longest retry delay after failed fetches. Default: 5 minutes.</summary>
    public TimeSpan MaximumRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets the largest metadata or key set response accepted, in bytes; enforced while reading.
    /// Default: 1 MiB.
    /// </summary>
    public int MaximumResponseSize { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets whether key sets are fetched when the application starts, so the first request does not wait. Default: <see langword="true"/>.</summary>
    public bool PrewarmOnStartup { get; set; } = true;

    /// <summary>
    /// Gets or sets whether symmetric (<c>oct</c>) keys in a remote key set are used. Publishing a shared secret is
    /// almost always a mistake, so they are skipped unless allowed. Default: <see langword="false"/>.
    /// </summary>
    public bool AllowSymmetricKeys { get; set; }

    /// <summary>Gets or sets the name of the <see cref="System.Net.Http.IHttpClientFactory"/> client used for fetches. Default: <see cref="DefaultHttpClientName"/>.</summary>
    public string HttpClientName { get; set; } = DefaultHttpClientName;

    /// <summary>The settings that cannot work together, as (setting, message): refused by the resolver and at start-up.</summary>
    internal List<(string Setting, string Message)> FindProblems()
    {
        var problems = new List<(string, string)>();
        if (MinimumRefreshInterval <= TimeSpan.Zero)
        {
            problems.Add((nameof(MinimumRefreshInterval), $"must be positive, not {MinimumRefreshInterval}."));
        }

        if (MaximumRefreshInterval < MinimumRefreshInterval)
        {
            problems.Add((nameof(MaximumRefreshInterval), $"must not be less than MinimumRefreshInterval ({MinimumRefreshInterval}), not {MaximumRefreshInterval}."));
        }

        // One message per problem: a RefreshInterval outside bounds that are themselves wrong, or a MaximumStaleness
        // below a RefreshInterval already refused, would only repeat the first message.
        var boundsValid = MinimumRefreshInterval > TimeSpan.Zero && MaximumRefreshInterval >= MinimumRefreshInterval;
        var refreshIntervalValid = RefreshInterval >= MinimumRefreshInterval && RefreshInterval <= MaximumRefreshInterval;
        if (boundsValid && !refreshIntervalValid)
        {
            problems.Add((nameof(RefreshInterval), $"must be between MinimumRefreshInterval ({MinimumRefreshInterval}) and MaximumRefreshInterval ({MaximumRefreshInterval}), not {RefreshInterval}."));
        }

        if (UnknownKeyCooldown <= TimeSpan.Zero)
        {
            problems.Add((nameof(UnknownKeyCooldown), $"must be positive (it limits the fetches unknown kids can cause), not {UnknownKeyCooldown}."));
        }

        if (FetchTimeout <= TimeSpan.Zero || FetchTimeout > MaximumFetchTimeout)
        {
            problems.Add((nameof(FetchTimeout), $"must be positive and at most {MaximumFetchTimeout}, not {FetchTimeout}."));
        }

        if (RefreshWaitTimeout <= TimeSpan.Zero || RefreshWaitTimeout > MaximumFetchTimeout)
        {
            problems.Add((nameof(RefreshWaitTimeout), $"must be positive and at most {MaximumFetchTimeout}, not {RefreshWaitTimeout}."));
        }

        if (refreshIntervalValid && MaximumStaleness < RefreshInterval)
        {
            problems.Add((nameof(MaximumStaleness), $"must not be less than RefreshInterval ({RefreshInterval}), or a key set would expire between two refreshes; it is {MaximumStaleness}."));
        }

        if (RetryDelay <= TimeSpan.Zero)
        {
            problems.Add((nameof(RetryDelay), $"must be positive, not {RetryDelay}."));
        }

        if (MaximumRetryDelay < RetryDelay)
        {
            problems.Add((nameof(MaximumRetryDelay), $"must not be less than RetryDelay ({RetryDelay}), not {MaximumRetryDelay}."));
        }

        if (MaximumResponseSize <= 0 || MaximumResponseSize > MaximumResponseSizeLimit)
        {
            problems.Add((nameof(MaximumResponseSize), $"must be between 1 and {MaximumResponseSizeLimit} bytes, not {MaximumResponseSize}."));
        }

        if (string.IsNullOrEmpty(HttpClientName))
        {
            problems.Add((nameof(HttpClientName), "must not be empty."));
        }

        return problems;
    }

    /// <summary>A copy, so a resolver is not changed by later edits to the options it was built from.</summary>
    internal RemoteKeySetOptions Clone() => (RemoteKeySetOptions)MemberwiseClone();
}
