namespace Bearer.Auth;

/// <summary>
/// The start-up checks of a fixed key set, shared by the stand-alone validator (its <see cref="StaticKeyResolver"/>)
/// and options validation (the keys configured for a scheme), so both refuse the same sets with the same words.
/// </summary>
internal static class StaticKeyChecks
{
    /// <summary>The keys of <paramref name="keys"/> no token could use under <paramref name="validAlgorithms"/>, described.</summary>
    /// <remarks>
    /// A JWK without <c>alg</c> is one key per algorithm of its type; it is a problem only when ValidAlgorithms allows
    /// none of them (one message for the JWK), not for each algorithm the list leaves out.
    /// </remarks>
    internal static IEnumerable<string> FindProblems(IReadOnlyList<VerificationKey> keys, IReadOnlyList<string> validAlgorithms)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (validAlgorithms.Contains(key.Algorithm, StringComparer.Ordinal))
            {
                continue;
            }

            if (!key.AlgorithmImplied)
            {
                yield return $"contains a key{Describe(key)} for {key.Algorithm}, which ValidAlgorithms does not allow.";
            }
            else if (FirstSibling(keys, i) == i && !AnySiblingAllowed(keys, i, validAlgorithms))
            {
                yield return $"contains a key{Describe(key)} without 'alg' whose type ({key.KeyType}) verifies none of the algorithms ValidAlgorithms allows.";
            }
        }
    }

    /// <summary>The instances of one JWK without <c>alg</c>: same type, kid, issuer and material, each for another algorithm.</summary>
    private static bool AreSiblings(VerificationKey a, VerificationKey b) =>
        a.AlgorithmImplied && b.AlgorithmImplied && string.Equals(a.KeyId, b.KeyId, StringComparison.Ordinal)
        && string.Equals(a.Issuer, b.Issuer, StringComparison.Ordinal) && a.HasSameMaterial(b);

    private static int FirstSibling(IReadOnlyList<VerificationKey> keys, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (AreSiblings(keys[i], keys[index]))
            {
                return i;
            }
        }

        return index;
    }

    private static bool AnySiblingAllowed(IReadOnlyList<VerificationKey> keys, int index, IReadOnlyList<string> validAlgorithms)
    {
        foreach (var key in keys)
        {
            if (AreSiblings(key, keys[index]) && validAlgorithms.Contains(key.Algorithm, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
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
