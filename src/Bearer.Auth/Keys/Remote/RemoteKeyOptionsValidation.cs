namespace Bearer.Auth.Keys.Remote;

/// <summary>
/// The start-up checks of the remote key settings: absolute URLs, HTTPS unless <c>RequireHttpsMetadata</c> is off,
/// one kind of source per entry, an issuer for every key, and intervals that make sense together.
/// </summary>
internal static class RemoteKeyOptionsValidation
{
    private static readonly TimeSpan MaximumFetchTimeout = TimeSpan.FromMinutes(5);
    private const int MaximumResponseSizeLimit = 64 * 1024 * 1024;

    /// <summary>Reports each problem as (setting, message), the setting written as its configuration key below the scheme.</summary>
    internal static void Validate(BearerJwtOptions options, Action<string, string> fail)
    {
        var hasRemote = false;
        var unboundEntry = (string?)null;
        foreach (var (prefix, entry, requireHttps) in RemoteKeyEndpoint.EntriesOf(options))
        {
            hasRemote = true;
            var endpoint = RemoteKeyEndpoint.Create(prefix, entry, requireHttps, fail);
            if (endpoint is { MetadataAddress: null, Issuer: null })
            {
                unboundEntry ??= prefix + nameof(RemoteKeyAuthority.JwksUri);
            }
        }

        if (!hasRemote)
        {
            return;
        }

        if (options.KeyResolver is not null and not RemoteSigningKeyResolver && options.ConfigurationErrors.Count == 0)
        {
            fail(nameof(options.KeyResolver), "is set in code, so Authority, MetadataAddress, JwksUri and Authorities would be ignored: configure one or the other.");
        }

        if (unboundEntry is not null && options.ValidateIssuer && string.IsNullOrEmpty(options.ValidIssuer) && options.ValidIssuers.Count == 0)
        {
            fail(unboundEntry, "names a key set with no issuer: set the entry's Issuer or the scheme's ValidIssuer(s), so its keys vouch for a known issuer.");
        }

        var s = options.RemoteKeys;
        const string Section = "RemoteKeys:";
        if (s.MinimumRefreshInterval <= TimeSpan.Zero)
        {
            fail(Section + nameof(s.MinimumRefreshInterval), "must be positive.");
        }

        if (s.MaximumRefreshInterval < s.MinimumRefreshInterval)
        {
            fail(Section + nameof(s.MaximumRefreshInterval), "must not be less than MinimumRefreshInterval.");
        }

        if (s.RefreshInterval < s.MinimumRefreshInterval || s.RefreshInterval > s.MaximumRefreshInterval)
        {
            fail(Section + nameof(s.RefreshInterval), $"must be between MinimumRefreshInterval ({s.MinimumRefreshInterval}) and MaximumRefreshInterval ({s.MaximumRefreshInterval}).");
        }

        if (s.UnknownKeyCooldown <= TimeSpan.Zero)
        {
            fail(Section + nameof(s.UnknownKeyCooldown), "must be positive: it limits the fetches unknown kids can cause.");
        }

        if (s.FetchTimeout <= TimeSpan.Zero || s.FetchTimeout > MaximumFetchTimeout)
        {
            fail(Section + nameof(s.FetchTimeout), $"must be positive and at most {MaximumFetchTimeout}.");
        }

        if (s.RefreshWaitTimeout <= TimeSpan.Zero || s.RefreshWaitTimeout > MaximumFetchTimeout)
        {
            fail(Section + nameof(s.RefreshWaitTimeout), $"must be positive and at most {MaximumFetchTimeout}.");
        }

        if (s.MaximumStaleness < s.RefreshInterval)
        {
            fail(Section + nameof(s.MaximumStaleness), "must not be less than RefreshInterval, or a key set would expire between two refreshes.");
        }

        if (s.RetryDelay <= TimeSpan.Zero)
        {
            fail(Section + nameof(s.RetryDelay), "must be positive.");
        }

        if (s.MaximumRetryDelay < s.RetryDelay)
        {
            fail(Section + nameof(s.MaximumRetryDelay), "must not be less than RetryDelay.");
        }

        if (s.MaximumResponseSize <= 0 || s.MaximumResponseSize > MaximumResponseSizeLimit)
        {
            fail(Section + nameof(s.MaximumResponseSize), $"must be between 1 and {MaximumResponseSizeLimit} bytes.");
        }

        if (string.IsNullOrEmpty(s.HttpClientName))
        {
            fail(Section + nameof(s.HttpClientName), "must not be empty.");
        }
    }
}
