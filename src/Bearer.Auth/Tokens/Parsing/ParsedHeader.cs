namespace Bearer.Auth;

/// <summary>
/// What the JOSE header says, as read and before any policy: the algorithm (by its place in
/// <see cref="JwsAlgorithms.All"/>), the <c>kid</c>, and the <c>typ</c> as the token spells it.
/// </summary>
internal readonly struct ParsedHeader
{
    internal ParsedHeader(int algorithmIndex, string? keyId, bool typePresent, string? type)
    {
        AlgorithmIndex = algorithmIndex;
        KeyId = keyId;
        TypePresent = typePresent;
        Type = type;
    }

    /// <summary>The <c>alg</c> as an index into <see cref="JwsAlgorithms.All"/>; -1 when absent or not one we implement.</summary>
    internal int AlgorithmIndex { get; }

    internal string? KeyId { get; }

    /// <summary>Whether the header has a <c>typ</c> member.</summary>
    internal bool TypePresent { get; }

    /// <summary>The <c>typ</c>, unescaped; <see langword="null"/> when absent or longer than any media type we compare against.</summary>
    internal string? Type { get; }

    /// <summary>The header as the key resolver and the application see it; only for a known algorithm.</summary>
    internal JwsHeader ToJwsHeader() => new(JwsAlgorithms.All[AlgorithmIndex], KeyId, Type);
}
