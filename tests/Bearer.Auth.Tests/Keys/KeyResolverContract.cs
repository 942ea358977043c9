using System.Security.Cryptography;
using System.Text.Json;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Keys;

// Over 300 lines: the contract is one list every key resolver must pass; split, a resolver could skip half of it.
/// <summary>

/// What every <see cref="IKeyResolver"/> must do, whoever wrote it: facts each runner inherits (a subclass that serves
/// one key set through one kind of resolver), as ASP.NET Core's <c>SharedAuthenticationTests</c> does for handlers.
/// The set has keys bound to issuers and unbound keys, with kids and without, of several algorithms; two issuers share
/// a kid, and one kid names keys of two algorithms. A resolver returns exactly the keys of the token's algorithm and
/// (ordinal) kid that serve the issuer it names, and says which issuers have keys of their own. End to end, through a
/// validator built on the resolver, the one issuer rule then holds whoever supplied the keys: a bound key vouches for
/// its issuer only, an unbound key serves only configured issuers without keys of their own, and a token naming no
/// issuer is refused, each with its exact reason.
/// </summary>
public abstract class KeyResolverContract : IAsyncLifetime
{
    /// <summary>A configured issuer with keys bound to it.</summary>
    protected const string BoundIssuer = "https://bound.contract.test";

    /// <summary>Another configured issuer with keys bound to it; one of them has the kid of one of <see cref="BoundIssuer"/>'s.</summary>
    protected const string OtherBoundIssuer = "https://other-bound.contract.test";

    /// <summary>An issuer that is not configured but has keys bound to it.</summary>
    protected const string UnlistedIssuer = "https://unlisted.contract.test";

    /// <summary>A configured issuer with no keys of its own: the unbound keys serve it.</summary>
    protected const string PlainIssuer = "https://plain.contract.test";

    /// <summary>An issuer neither configured nor bound to any key.</summary>
    private const string StrangerIssuer = "https://stranger.contract.test";

    /// <summary>In a table row: the token names the kid of the key that signs it (none for a key without one).</summary>
    private const string OwnKid = "(own kid)";

    private static readonly DateTimeOffset Now = ValidatorFixture.Now;

    /// <summary>The key set every runner serves (generated once per run: RSA keys take a while).</summary>
    private static readonly Lazy<ContractKey[]> Catalogue = new(CreateCatalogue);

    private static readonly string?[] TokenIssuers = [BoundIssuer, OtherBoundIssuer, UnlistedIssuer, PlainIssuer, StrangerIssuer, null];

    private IAsyncDisposable? _lifetime;
    private BearerJwtValidator? _validator;

    /// <summary>Gets the issuers the validator (and a scheme the runner builds) is configured with.</summary>
    protected static IReadOnlyList<string> ConfiguredIssuers { get; } = [BoundIssuer, OtherBoundIssuer, PlainIssuer];

    /// <summary>Gets the JWK key types (<c>oct</c>, <c>RSA</c>, <c>EC</c>) the resolver under test can serve; keys of other types are left out of its set.</summary>
    protected virtual IReadOnlyCollection<string> SupportedKeyTypes { get; } = ["oct", "RSA", "EC"];

    /// <summary>
    /// Gets the reason a token gets when keys match its kid and alg but none may sign for its issuer: the built-in
    /// resolvers say so (<see cref="KeyResolution.NotForIssuer"/>); a resolver that answers
    /// <see cref="KeyResolution.NotFound"/> instead gets <see cref="TokenFailureReason.KeyNotFound"/>.
    /// </summary>
    protected virtual TokenFailureReason KeyOfOtherIssuers => TokenFailureReason.KeyIssuerMismatch;

    /// <summary>Gets the resolver under test, serving the contract's key set.</summary>
    protected IKeyResolver Resolver { get; private set; } = null!;

    private IReadOnlyList<ContractKey> Keys { get; set; } = [];

    private BearerJwtValidator Validator => _validator ??= new BearerJwtValidator(new TokenValidationSettings
    {
        KeyResolver = Resolver,
        ValidIssuers = ConfiguredIssuers,
        ValidAudiences = [TestJwt.Audience],
        TimeProvider = new FakeTimeProvider(Now),
    });

    /// <summary>
    /// Builds the resolver under test over <paramref name="keys"/> (each <see cref="VerificationKey.Issuer"/> says which
    /// issuer it is bound to, if any), with whatever it needs (servers, services), which the test disposes after it.
    /// </summary>
    /// <param name="keys">The keys to serve, all of a type in <see cref="SupportedKeyTypes"/>.</param>
    /// <returns>The resolver, and what to dispose once the test is over.</returns>
    protected abstract Task<(IKeyResolver Resolver, IAsyncDisposable? Lifetime)> ServeAsync(IReadOnlyList<VerificationKey> keys);

    public async ValueTask InitializeAsync()
    {
        Keys = [.. Catalogue.Value.Where(k => SupportedKeyTypes.Contains(k.Signer.KeyType))];
        (Resolver, _lifetime) = await ServeAsync([.. Keys.Select(k => k.Key)]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_lifetime is not null)
        {
            await _lifetime.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Finds_each_key_by_its_exact_kid_and_algorithm_for_the_issuer_it_serves()
    {
        var mismatches = new List<string>();
        foreach (var key in Keys.Where(k => k.Signer.KeyId is not null))
        {
            Note(mismatches, await CheckResolutionAsync(key.Signer.Algorithm, key.Signer.KeyId, key.Issuer ?? PlainIssuer, mustFind: key));
        }

        AssertNone(mismatches);
    }

    [Fact]
    public async Task Kids_are_compared_ordinally_so_no_other_spelling_finds_a_key()
    {
        string[] otherSpellings = ["K", "k ", " k", "k\0", "\u212A", "\uFF4B", "k\u200B", "Shared", "SHARED", "shared ", "bound-1\0", "Bound-1"];
        var mismatches = new List<string>();
        foreach (var kid in otherSpellings)
        {
            foreach (var algorithm in new[] { JwsAlgorithms.ES256, JwsAlgorithms.RS256 })
            {
                foreach (var issuer in new[] { PlainIssuer, BoundIssuer, StrangerIssuer })
                {
                    Note(mismatches, await CheckResolutionAsync(algorithm, kid, issuer, mustFind: null));
                }
            }
        }

        AssertNone(mismatches);
    }

    [Fact]
    public async Task A_token_without_kid_gets_every_key_of_its_algorithm_that_serves_its_issuer()
    {
        var mismatches = new List<string>();
        foreach (var algorithm in JwsAlgorithms.All)
        {
            foreach (var issuer in TokenIssuers)
            {
                Note(mismatches, await CheckResolutionAsync(algorithm, kid: null, issuer, mustFind: null));
            }
        }

        AssertNone(mismatches);

        // The table reaches both kinds of answer: several keys (an algorithm with kids and without), and none.
        Assert.True(Expected(JwsAlgorithms.ES256, null, BoundIssuer).Count >= 2);
        Assert.Empty(Expected(JwsAlgorithms.ES512, null, BoundIssuer));
    }

    [Fact]
    public async Task Never_returns_a_key_of_another_algorithm_than_the_token_names()
    {
        var mismatches = new List<string>();
        foreach (var key in Keys.Where(k => k.Signer.KeyId is not null))
        {
            foreach (var algorithm in JwsAlgorithms.All)
            {
                Note(mismatches, await CheckResolutionAsync(algorithm, key.Signer.KeyId, key.Issuer ?? PlainIssuer, mustFind: algorithm == key.Signer.Algorithm ? key : null));
            }
        }

        AssertNone(mismatches);
    }

    [Fact]
    public async Task An_unknown_kid_is_not_found_never_every_key_and_never_an_exception()
    {
        string[] unknownKids = ["unknown", "", "k,hs", "*", "%", "../k", "k/../k", "null", "{\"kid\":\"k\"}", new string('k', 2048)];
        var mismatches = new List<string>();
        foreach (var kid in unknownKids)
        {
            foreach (var algorithm in new[] { JwsAlgorithms.ES256, JwsAlgorithms.RS256, JwsAlgorithms.HS256 })
            {
                foreach (var issuer in TokenIssuers)
                {
                    Note(mismatches, await CheckResolutionAsync(algorithm, kid, issuer, mustFind: null));
                }
            }
        }

        AssertNone(mismatches);
    }

    [Fact]
    public void HasKeysBoundTo_is_true_exactly_for_the_issuers_its_keys_are_bound_to()
    {
        var bound = Keys.Select(k => k.Issuer).OfType<string>().Distinct().ToList();
        string[] notBound =
        [
            PlainIssuer, StrangerIssuer, "", BoundIssuer + "/", BoundIssuer.ToUpperInvariant(), " " + BoundIssuer, BoundIssuer + "\0",
            "https://bound.contract.test:443", "https://BOUND.contract.test",
        ];

        Assert.Equal([BoundIssuer, OtherBoundIssuer, UnlistedIssuer], bound);
        Assert.All(bound, issuer => Assert.True(Resolver.HasKeysBoundTo(issuer), issuer));
        Assert.All(notBound, issuer => Assert.False(Resolver.HasKeysBoundTo(issuer), issuer));
    }

    [Fact]
    public async Task Bound_keys_verify_tokens_of_their_own_issuer_and_never_of_another()
    {
        await AssertOutcomesAsync(
        [
            new("bound-es256", BoundIssuer, OwnKid, TokenFailureReason.None),
            new("bound-es384-no-kid", BoundIssuer, OwnKid, TokenFailureReason.None),
            new("bound-shared-kid", BoundIssuer, OwnKid, TokenFailureReason.None),
            new("other-shared-kid", OtherBoundIssuer, OwnKid, TokenFailureReason.None),
            new("other-ps256", OtherBoundIssuer, OwnKid, TokenFailureReason.None),
            new("bound-hs384", BoundIssuer, OwnKid, TokenFailureReason.None),

            // Another configured issuer, with keys of its own or without: the key never signs for it.
            new("bound-es256", OtherBoundIssuer, OwnKid, KeyOfOtherIssuers),
            new("bound-es256", OtherBoundIssuer, null, TokenFailureReason.SignatureInvalid),
            new("bound-es384-no-kid", OtherBoundIssuer, null, KeyOfOtherIssuers),
            new("bound-es256", PlainIssuer, OwnKid, KeyOfOtherIssuers),
            new("bound-hs384", PlainIssuer, OwnKid, KeyOfOtherIssuers),
            new("bound-es256", UnlistedIssuer, OwnKid, KeyOfOtherIssuers),
            new("bound-es256", StrangerIssuer, OwnKid, TokenFailureReason.IssuerInvalid),

            // A kid both issuers use names each issuer's own key.
            new("other-shared-kid", BoundIssuer, OwnKid, TokenFailureReason.SignatureInvalid),
            new("bound-shared-kid", OtherBoundIssuer, OwnKid, TokenFailureReason.SignatureInvalid),
        ]);
    }

    [Fact]
    public async Task Unbound_keys_verify_configured_issuers_without_keys_of_their_own_and_never_an_issuer_with_keys()
    {
        await AssertOutcomesAsync(
        [
            new("unbound-k-es256", PlainIssuer, OwnKid, TokenFailureReason.None),
            new("unbound-k-rs256", PlainIssuer, OwnKid, TokenFailureReason.None),
            new("unbound-es256-no-kid", PlainIssuer, OwnKid, TokenFailureReason.None),
            new("unbound-hs256", PlainIssuer, OwnKid, TokenFailureReason.None),

            // An issuer with keys of its own, configured or not: its own kid, another kid, or none.
            new("unbound-k-es256", BoundIssuer, OwnKid, KeyOfOtherIssuers),
            new("unbound-k-es256", OtherBoundIssuer, OwnKid, KeyOfOtherIssuers),
            new("unbound-k-es256", UnlistedIssuer, OwnKid, KeyOfOtherIssuers),
            new("unbound-hs256", OtherBoundIssuer, OwnKid, KeyOfOtherIssuers),
            new("unbound-k-es256", BoundIssuer, "bound-1", TokenFailureReason.SignatureInvalid),
            new("unbound-es256-no-kid", BoundIssuer, OwnKid, TokenFailureReason.SignatureInvalid),

            // An issuer that is not configured: an unbound key vouches for configured issuers only.
            new("unbound-k-es256", StrangerIssuer, OwnKid, TokenFailureReason.IssuerInvalid),
            new("unbound-es256-no-kid", StrangerIssuer, OwnKid, TokenFailureReason.IssuerInvalid),
        ]);
    }

    [Fact]
    public async Task A_key_bound_to_an_unlisted_issuer_vouches_for_that_issuer_only()
    {
        await AssertOutcomesAsync(
        [
            new("unlisted-es256", UnlistedIssuer, OwnKid, TokenFailureReason.None),
            new("unlisted-es256", UnlistedIssuer, null, TokenFailureReason.None),
            new("unlisted-es256", PlainIssuer, OwnKid, KeyOfOtherIssuers),
            new("unlisted-es256", BoundIssuer, OwnKid, KeyOfOtherIssuers),
            new("unlisted-es256", StrangerIssuer, OwnKid, TokenFailureReason.IssuerInvalid),
            new("unbound-k-es256", UnlistedIssuer, "unlisted-1", TokenFailureReason.SignatureInvalid),
            new("unbound-es256-no-kid", UnlistedIssuer, OwnKid, TokenFailureReason.SignatureInvalid),
        ]);
    }

    [Fact]
    public async Task A_token_naming_no_issuer_is_refused_whatever_key_signed_it()
    {
        await AssertOutcomesAsync(
        [
            new("bound-es256", null, OwnKid, TokenFailureReason.IssuerInvalid),
            new("unlisted-es256", null, OwnKid, TokenFailureReason.IssuerInvalid),
            new("unbound-k-es256", null, OwnKid, TokenFailureReason.IssuerInvalid),
            new("unbound-es256-no-kid", null, OwnKid, TokenFailureReason.IssuerInvalid),
            new("unbound-hs256", null, OwnKid, TokenFailureReason.IssuerInvalid),
        ]);
    }

    private static ContractKey[] CreateCatalogue() =>
    [
        new("bound-es256", SigningKey.Generate(JwsAlgorithms.ES256, "bound-1"), BoundIssuer),
        new("bound-es384-no-kid", EcdsaWithoutKid(ECCurve.NamedCurves.nistP384), BoundIssuer),
        new("bound-shared-kid", SigningKey.Generate(JwsAlgorithms.ES256, "shared"), BoundIssuer),
        new("bound-hs384", SigningKey.Generate(JwsAlgorithms.HS384, "bound-hs"), BoundIssuer),
        new("other-es256", SigningKey.Generate(JwsAlgorithms.ES256, "other-1"), OtherBoundIssuer),
        new("other-shared-kid", SigningKey.Generate(JwsAlgorithms.ES256, "shared"), OtherBoundIssuer),
        new("other-ps256", SigningKey.Generate(JwsAlgorithms.PS256, "other-ps"), OtherBoundIssuer),
        new("unlisted-es256", SigningKey.Generate(JwsAlgorithms.ES256, "unlisted-1"), UnlistedIssuer),
        new("unbound-k-es256", SigningKey.Generate(JwsAlgorithms.ES256, "k"), null),
        new("unbound-k-rs256", SigningKey.Generate(JwsAlgorithms.RS256, "k"), null),
        new("unbound-es256-no-kid", EcdsaWithoutKid(ECCurve.NamedCurves.nistP256), null),
        new("unbound-hs256", SigningKey.Generate(JwsAlgorithms.HS256, "hs"), null),
    ];

    /// <summary>Fails with every mismatch, one per line (a collection assertion would cut them short).</summary>
    private static void AssertNone(List<string> mismatches)
    {
        if (mismatches.Count > 0)
        {
            Assert.Fail($"{mismatches.Count} mismatches:{Environment.NewLine}{string.Join(Environment.NewLine, mismatches)}");
        }
    }

    private static void Note(List<string> mismatches, string? mismatch)
    {
        if (mismatch is not null)
        {
            mismatches.Add(mismatch);
        }
    }

    private static SigningKey EcdsaWithoutKid(ECCurve curve)
    {
        using var ecdsa = ECDsa.Create(curve);
        return SigningKey.Ecdsa(ecdsa, keyId: null);
    }

    /// <summary>The keys a resolver must return: of the algorithm, of the kid when there is one, serving the issuer.</summary>
    private List<ContractKey> Expected(string algorithm, string? kid, string? issuer) =>
        [.. Keys.Where(k => k.Signer.Algorithm == algorithm && (kid is null || k.Signer.KeyId == kid) && Serves(k, issuer))];

    /// <summary>
    /// The rule, spelled out here rather than taken from the library: a bound key serves its issuer only; an unbound key
    /// serves an issuer no key is bound to (or a token naming none).
    /// </summary>
    private bool Serves(ContractKey key, string? issuer) =>
        key.Issuer is not null ? key.Issuer == issuer : issuer is null || !Keys.Any(k => k.Issuer == issuer);

    /// <summary>Asks the resolver; returns what differs from <see cref="Expected"/>, or null.</summary>
    private async Task<string?> CheckResolutionAsync(string algorithm, string? kid, string? issuer, ContractKey? mustFind)
    {
        var expected = Expected(algorithm, kid, issuer);
        if (mustFind is not null)
        {
            Assert.Contains(mustFind, expected);
        }

        var resolution = await Resolver.ResolveAsync(new JwsHeader(algorithm, kid, "JWT"), issuer, TestContext.Current.CancellationToken);
        var expectedNames = expected.Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
        var actualNames = resolution.Keys.Select(NameOf).Order(StringComparer.Ordinal).ToList();
        var expectedFailure = expected.Count > 0 ? TokenFailureReason.None
            : Keys.Any(k => k.Signer.Algorithm == algorithm && (kid is null || k.Signer.KeyId == kid)) ? KeyOfOtherIssuers
            : TokenFailureReason.KeyNotFound;
        return resolution.Failure == expectedFailure && expectedNames.SequenceEqual(actualNames)
            ? null
            : $"{algorithm} kid {Show(kid)} for {issuer ?? "no issuer"}: expected {expectedFailure} [{string.Join(", ", expectedNames)}], got {resolution.Failure} [{string.Join(", ", actualNames)}]";
    }

    /// <summary>Which key of the set <paramref name="key"/> is (same material, algorithm, kid and binding), or what it is not.</summary>
    private string NameOf(VerificationKey key)
    {
        var thumbprint = key.ComputeJwkThumbprint();
        return Keys.FirstOrDefault(k => k.Thumbprint == thumbprint && k.Signer.Algorithm == key.Algorithm && k.Signer.KeyId == key.KeyId && k.Issuer == key.Issuer)?.Name
            ?? $"a key not in the set ({key.Algorithm}, kid {Show(key.KeyId)}, bound to {key.Issuer ?? "none"})";
    }

    /// <summary>Validates each row's token twice (the second time the repeat-token cache has it when it passed) and reports every mismatch.</summary>
    private async Task AssertOutcomesAsync(IReadOnlyList<BindingRow> rows)
    {
        var mismatches = new List<string>();
        var checkedRows = 0;
        foreach (var row in rows)
        {
            if (Keys.FirstOrDefault(k => k.Name == row.Signer) is not { } signer)
            {
                continue; // a key type this resolver does not serve
            }

            checkedRows++;
            var token = Token(signer, row.Issuer, row.Kid == OwnKid ? signer.Signer.KeyId : row.Kid);
            for (var presentation = 1; presentation <= 2; presentation++)
            {
                var result = await Validator.ValidateAsync(token, TestContext.Current.CancellationToken);
                if (result.Failure != row.Expected || result.Succeeded != (row.Expected == TokenFailureReason.None))
                {
                    mismatches.Add($"{row} (presentation {presentation}): {result.Failure}");
                }
                else if (result.Succeeded && NameOf(result.Token!.Key) != signer.Name)
                {
                    mismatches.Add($"{row} (presentation {presentation}): verified by {NameOf(result.Token.Key)}");
                }
            }
        }

        Assert.True(checkedRows > rows.Count / 2, $"{checkedRows} of {rows.Count} rows apply to this resolver.");
        AssertNone(mismatches);
    }

    private static string Token(ContractKey signer, string? issuer, string? kid)
    {
        var algorithm = signer.Signer.Algorithm;
        var header = kid is null
            ? $$"""{"alg":"{{algorithm}}","typ":"JWT"}"""
            : $$"""{"alg":"{{algorithm}}","typ":"JWT","kid":{{JsonSerializer.Serialize(kid)}}}""";
        var seconds = Now.ToUnixTimeSeconds();
        var payload = issuer is null
            ? $$"""{"aud":"{{TestJwt.Audience}}","sub":"user-1","exp":{{seconds + 300}},"iat":{{seconds}},"nbf":{{seconds}}}"""
            : TestJwt.Payload(Now, issuer: issuer);
        return TestJwt.Sign(header, payload, input => signer.Signer.Sign(input));
    }

    private static string Show(string? kid) => kid is null ? "(none)" : JsonSerializer.Serialize(kid.Length > 20 ? kid[..20] + "…" : kid);

    /// <summary>One key of the set: its name in the tables, its private half (to sign tokens), and its verification key.</summary>
    private sealed class ContractKey(string name, SigningKey signer, string? issuer)
    {
        public string Name { get; } = name;

        public SigningKey Signer { get; } = signer;

        public string? Issuer { get; } = issuer;

        public VerificationKey Key { get; } = signer.ToVerificationKey(issuer);

        public string Thumbprint { get; } = signer.ToVerificationKey().ComputeJwkThumbprint();

        public override string ToString() => Name;
    }

    /// <summary>A token signed by the key named <paramref name="Signer"/> for <paramref name="Issuer"/> (none: no <c>iss</c>), naming <paramref name="Kid"/>.</summary>
    private sealed record BindingRow(string Signer, string? Issuer, string? Kid, TokenFailureReason Expected)
    {
        public override string ToString() =>
            $"{Signer} as {Issuer ?? "no issuer"}{(Kid == OwnKid ? string.Empty : $" with kid {Show(Kid)}")} → {Expected}";
    }
}
