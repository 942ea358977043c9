using NSubstitute;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// NSubstitute <see cref="IKeyResolver"/>s and a view of the calls they received, so tests can assert that
/// a token was refused before any key lookup (or what the resolver was asked).
/// </summary>
internal static class SubstituteResolver
{
    /// <summary>A resolver that answers every call with <paramref name="resolution"/>.</summary>
    internal static IKeyResolver Returning(KeyResolution resolution)
    {
        var resolver = Substitute.For<IKeyResolver>();

        // Configuring a substitute "calls" it; the ValueTask is NSubstitute's, not a real one to await.
#pragma warning disable CA2012, xUnit1051
        resolver.ResolveAsync(Arg.Any<JwsHeader>(), Arg.Any<string?>(), Arg.Any<CancellationToken>()).Returns(resolution);
#pragma warning restore CA2012, xUnit1051
        return resolver;
    }

    /// <summary>A resolver that returns exactly <paramref name="keys"/> whatever the token says (a careless resolver).</summary>
    internal static IKeyResolver Returning(params VerificationKey[] keys) => Returning(KeyResolution.Found(keys));

    /// <summary>The (header, issuer) pairs the resolver was asked for.</summary>
    internal static IReadOnlyList<(JwsHeader Header, string? Issuer)> Calls(IKeyResolver resolver) =>
        [.. resolver.ReceivedCalls()
            .Where(call => call.GetMethodInfo().Name == nameof(IKeyResolver.ResolveAsync))
            .Select(call => ((JwsHeader)call.GetArguments()[0]!, (string?)call.GetArguments()[1]))];
}
