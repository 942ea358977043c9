namespace Bearer.Auth;

/// <summary>
/// The start-up checks of a fixed key set, shared by the stand-alone validator (its <see cref="StaticKeyResolver"/>)
/// and options validation (the keys configured for a scheme), so both refuse the same sets with the same words.
/// </summary>
internal static class StaticKeyChecks
{
    /// <summary>The keys of <paramref name="keys"/> no token could use under <paramref name="validAlgorithms"/>, described.</summary>
    internal static IEnumerable<string> FindProblems(IReadOnlyList<VerificationKey> keys, IReadOnlyList<string> validAlgorithms)
    {
        foreach (var key in keys)
        {
            if (!validAlgorithms.Contains(key.Algorithm, StringComparer.Ordinal))
            {
                yield return $"contains a key{Describe(key)} for {key.Algorithm}, which ValidAlgorithms does not allow.";
            }
        }
    }

    /// <summary>Whether some key is bound to an issuer (which then needs no <c>ValidIssuers</c> entry).</summary>
    internal static bool BindsAnIssuer(IReadOnlyList<VerificationKey> keys)
    {
        foreach (var key in keys)
        {
            if (key.Issuer is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(VerificationKey key) => key.KeyId is null ? string.Empty : $" (kid '{key.KeyId}')";
}
