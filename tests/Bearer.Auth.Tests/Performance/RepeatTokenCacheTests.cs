using System.Collections.Concurrent;
using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Performance;

// Over 300 lines: one test per safety property of the cache (bench/RESULTS.md lists them), in one place to audit.
/// <summary>

/// The repeat-token cache (<see cref="BearerJwtOptions.RepeatTokenCacheSize"/>): a hit skips parsing and the
/// signature, never anything else. "Served from the cache" is observed as the same <see cref="ValidatedToken"/>
/// instance coming back: a full validation always creates a new one.
/// </summary>
public sealed class RepeatTokenCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_is_admitted_on_second_sight_and_then_served_from_the_cache()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 16);
        var token = Rs(fixture, ValidatorFixture.Now);

        var first = await Validate(fixture.Validator, token);
        Assert.Equal(0, fixture.Validator.RepeatTokens!.Count);
        var second = await Validate(fixture.Validator, token);
        Assert.Equal(1, fixture.Validator.RepeatTokens.Count);
        var third = await Validate(fixture.Validator, token);

        Assert.NotSame(first, second);
        Assert.Same(second, third);
        Assert.Equal("user-1", third.Subject);
    }

    [Fact]
    public async Task The_cache_is_on_by_default_with_1024_entries()
    {
        using var fixture = new ValidatorFixture();
        var token = Rs(fixture, ValidatorFixture.Now);

        var first = await Validate(fixture.Validator, token);
        var second = await Validate(fixture.Validator, token);
        var third = await Validate(fixture.Validator, token);

        Assert.Equal(1024, fixture.Validator.RepeatTokens!.Capacity);
        Assert.NotSame(first, second);
        Assert.Same(second, third);
    }

    [Fact]
    public async Task Size_zero_turns_the_cache_off()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 0);
        var token = Rs(fixture, ValidatorFixture.Now);

        var first = await Validate(fixture.Validator, token);
        var second = await Validate(fixture.Validator, token);
        var third = await Validate(fixture.Validator, token);

        Assert.Null(fixture.Validator.RepeatTokens);
        Assert.NotSame(first, second);
        Assert.NotSame(second, third);
    }

    [Fact]
    public async Task An_entry_is_never_served_at_or_after_exp()
    {
        using var fixture = new ValidatorFixture(o =>
        {
            o.RepeatTokenCacheSize = 16;
            o.ClockSkew = TimeSpan.FromSeconds(30);
        });
        var token = Rs(fixture, ValidatorFixture.Now); // exp = now + 300
        var cached = await Admit(fixture.Validator, token);

        fixture.Time.Advance(TimeSpan.FromSeconds(299));
        Assert.Same(cached, await Validate(fixture.Validator, token));

        // At exp the entry goes; within the skew a full validation still accepts, but the token is not re-admitted.
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var atExpiry = await Validate(fixture.Validator, token);
        Assert.NotSame(cached, atExpiry);
        Assert.Equal(0, fixture.Validator.RepeatTokens!.Count);
        Assert.NotSame(atExpiry, await Validate(fixture.Validator, token));
        Assert.Equal(0, fixture.Validator.RepeatTokens.Count);

        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TokenFailureReason.TokenExpired, await fixture.FailureOf(token));
    }

    [Fact]
    public async Task Time_claims_are_checked_on_every_hit()
    {
        using var fixture = new ValidatorFixture(o =>
        {
            o.RepeatTokenCacheSize = 16;
            o.ClockSkew = TimeSpan.Zero;
        });
        var clock = new SettableTimeProvider(ValidatorFixture.Now.AddSeconds(10));
        var validator = TestValidators.From(fixture.Options, clock);
        var token = Rs(fixture, ValidatorFixture.Now); // iat = nbf = now, exp = now + 300
        var cached = await Admit(validator, token);

        // The clock moves back (another node, NTP step): nbf and iat are enforced although the entry is cached.
        clock.Now = ValidatorFixture.Now.AddSeconds(-1);
        Assert.Equal(TokenFailureReason.TokenNotYetValid, (await validator.ValidateAsync(token, Ct)).Failure);
        clock.Now = ValidatorFixture.Now.AddSeconds(20);
        Assert.Same(cached, await Validate(validator, token));

        // And exp, exactly at the boundary.
        clock.Now = ValidatorFixture.Now.AddSeconds(300);
        Assert.Equal(TokenFailureReason.TokenExpired, (await validator.ValidateAsync(token, Ct)).Failure);
        Assert.Equal(0, validator.RepeatTokens!.Count);
    }

    [Fact]
    public async Task The_revocation_check_runs_on_every_hit()
    {
        var revocation = new JtiRevocation();
        using var fixture = new ValidatorFixture(o =>
        {
            o.RepeatTokenCacheSize = 16;
            o.RevocationCheck = revocation;
        });
        var token = Rs(fixture, ValidatorFixture.Now, """ "jti":"t-1" """);
        var cached = await Admit(fixture.Validator, token);
        var callsBefore = revocation.Calls;

        Assert.Same(cached, await Validate(fixture.Validator, token));
        Assert.Equal(callsBefore + 1, revocation.Calls);

        revocation.Revoke("t-1");
        Assert.Equal(TokenFailureReason.TokenRevoked, await fixture.FailureOf(token));
        Assert.Equal(callsBefore + 2, revocation.Calls);
        Assert.Equal(1, fixture.Validator.RepeatTokens!.Count);
    }

    [Fact]
    public async Task A_token_revoked_before_its_first_use_is_never_admitted()
    {
        var revocation = new JtiRevocation();
        revocation.Revoke("t-1");
        using var fixture = new ValidatorFixture(o =>
        {
            o.RepeatTokenCacheSize = 16;
            o.RevocationCheck = revocation;
        });
        var token = Rs(fixture, ValidatorFixture.Now, """ "jti":"t-1" """);

        Assert.Equal(TokenFailureReason.TokenRevoked, await fixture.FailureOf(token));
        Assert.Equal(TokenFailureReason.TokenRevoked, await fixture.FailureOf(token));
        Assert.Equal(0, fixture.Validator.RepeatTokens!.Count);
    }

    [Fact]
    public async Task An_entry_is_dropped_when_its_key_leaves_the_key_set()
    {
        using var fixture = new ValidatorFixture();
        var original = VerificationKey.Rsa(fixture.Rsa, JwsAlgorithms.RS256, keyId: "rs");
        using var otherRsa = RSA.Create(2048);
        var resolver = new SwitchableResolver(original);
        var validator = CachingValidator(fixture, resolver);
        var token = Rs(fixture, ValidatorFixture.Now);
        var cached = await Admit(validator, token);

        // Rotated away: the same kid now names another key. The cached verification must not count.
        resolver.Keys = [VerificationKey.Rsa(otherRsa, JwsAlgorithms.RS256, keyId: "rs")];
        Assert.Equal(TokenFailureReason.SignatureInvalid, (await validator.ValidateAsync(token, Ct)).Failure);
        Assert.Equal(0, validator.RepeatTokens!.Count);

        // The source failing: its failure is reported, not hidden by the cache.
        resolver.Keys = [original];
        await Admit(validator, token);
        resolver.Unavailable = true;
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, (await validator.ValidateAsync(token, Ct)).Failure);
        Assert.Equal(0, validator.RepeatTokens.Count);

        // The same key material under another issuer binding is another key: verified again from scratch.
        resolver.Unavailable = false;
        await Admit(validator, token);
        resolver.Keys = [VerificationKey.Rsa(fixture.Rsa, JwsAlgorithms.RS256, keyId: "rs", issuer: "https://other.example")];
        Assert.Equal(TokenFailureReason.SignatureInvalid, (await validator.ValidateAsync(token, Ct)).Failure);
        Assert.Equal(0, validator.RepeatTokens.Count);

        // And under another kid (a resolver that ignores the header's kid): the entry goes, the token is verified anew.
        resolver.Keys = [original];
        var admitted = await Admit(validator, token);
        resolver.Keys = [VerificationKey.Rsa(fixture.Rsa, JwsAlgorithms.RS256, keyId: "rs2")];
        var reverified = await Validate(validator, token);
        Assert.NotSame(admitted, reverified);
        Assert.Equal("rs2", reverified.Key.KeyId);
    }

    [Fact]
    public async Task An_entry_survives_a_resolver_that_returns_new_instances_of_the_same_key()
    {
        using var fixture = new ValidatorFixture();
        var resolver = new SwitchableResolver(VerificationKey.Rsa(fixture.Rsa, JwsAlgorithms.RS256, keyId: "rs"));
        var validator = CachingValidator(fixture, resolver);
        var token = Rs(fixture, ValidatorFixture.Now);
        var cached = await Admit(validator, token);

        // A resolver that builds its keys on every call: same algorithm, kid, binding and material, so the same
        // signature would verify; without this the entry would be dropped and re-admitted on every request.
        resolver.Keys = [VerificationKey.Rsa(fixture.Rsa, JwsAlgorithms.RS256, keyId: "rs")];
        Assert.Same(cached, await Validate(validator, token));
        Assert.Equal(1, validator.RepeatTokens!.Count);
    }

    [Fact]
    public async Task A_token_differing_in_one_byte_is_not_served_from_the_cache()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 16);
        var token = Rs(fixture, ValidatorFixture.Now);
        await Admit(fixture.Validator, token);

        var signatureStart = token.LastIndexOf('.') + 1;
        var middle = signatureStart + ((token.Length - signatureStart) / 2);
        var tampered = token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(tampered));

        // One more character at the end: a different (and non-canonical) token, refused by the parser.
        Assert.NotEqual(TokenFailureReason.None, await fixture.FailureOf(token + "A"));

        // A copy of the same text (another string instance) is the same token.
        var copy = new string(token.AsSpan());
        Assert.Same(await Validate(fixture.Validator, token), await Validate(fixture.Validator, copy));
    }

    [Fact]
    public async Task Two_valid_signatures_over_the_same_claims_are_two_entries()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 16);
        var payload = fixture.ValidPayload();
        var first = TestJwt.Es(fixture.Ecdsa, payload, headerJson: """{"alg":"ES256","kid":"es"}""");
        var second = TestJwt.Es(fixture.Ecdsa, payload, headerJson: """{"alg":"ES256","kid":"es"}""");
        Assert.NotEqual(first, second); // ECDSA signatures are randomized

        var cachedFirst = await Admit(fixture.Validator, first);
        var secondResult = await Validate(fixture.Validator, second);

        Assert.NotSame(cachedFirst, secondResult);
        Assert.Equal(second, secondResult.RawToken);
    }

    [Fact]
    public async Task Tokens_without_exp_are_never_cached()
    {
        using var fixture = new ValidatorFixture(o =>
        {
            o.RepeatTokenCacheSize = 16;
            o.RequireExpirationTime = false;
        });
        var payload = $$"""{"iss":"{{TestJwt.Issuer}}","aud":"{{TestJwt.Audience}}","sub":"user-1"}""";
        var token = TestJwt.Rs(fixture.Rsa, payload, headerJson: """{"alg":"RS256","kid":"rs"}""");

        for (var i = 0; i < 3; i++)
        {
            await Validate(fixture.Validator, token);
        }

        Assert.Equal(0, fixture.Validator.RepeatTokens!.Count);
    }

    [Fact]
    public async Task Refused_tokens_are_never_cached()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 16);
        var wrongAudience = Rs(fixture, ValidatorFixture.Now, audience: "api://other");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TokenFailureReason.AudienceInvalid, await fixture.FailureOf(wrongAudience));
        }

        Assert.Equal(0, fixture.Validator.RepeatTokens!.Count);
    }

    [Fact]
    public async Task The_cache_never_holds_more_than_its_size()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 4);
        for (var i = 0; i < 40; i++)
        {
            var token = Hs(fixture, i);
            await Validate(fixture.Validator, token);
            await Validate(fixture.Validator, token);
            Assert.True(fixture.Validator.RepeatTokens!.Count <= 4);
        }

        Assert.Equal(4, fixture.Validator.RepeatTokens!.Count);
    }

    [Fact]
    public async Task A_flood_of_distinct_tokens_neither_enters_nor_evicts_entries_in_use()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 16);
        var hot = Rs(fixture, ValidatorFixture.Now, """ "jti":"hot" """);
        var cached = await Admit(fixture.Validator, hot);
        for (var i = 0; i < 20; i++)
        {
            await Validate(fixture.Validator, hot);
        }

        // Each seen once: nothing is admitted, whatever the number.
        for (var i = 0; i < 500; i++)
        {
            await Validate(fixture.Validator, Hs(fixture, i));
        }

        Assert.Equal(1, fixture.Validator.RepeatTokens!.Count);
        Assert.Same(cached, await Validate(fixture.Validator, hot));

        // Each seen twice (so admitted), with the hot token still in use: the newcomers displace each other.
        for (var i = 1000; i < 1200; i++)
        {
            var token = Hs(fixture, i);
            await Validate(fixture.Validator, token);
            await Validate(fixture.Validator, token);
            if (i % 4 == 0)
            {
                Assert.Same(cached, await Validate(fixture.Validator, hot));
            }
        }

        Assert.Equal(16, fixture.Validator.RepeatTokens.Count);
        Assert.Same(cached, await Validate(fixture.Validator, hot));
    }

    [Fact]
    public async Task A_cold_entry_ages_out_for_newcomers()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 8);
        var old = Rs(fixture, ValidatorFixture.Now, """ "jti":"old" """);
        var cached = await Admit(fixture.Validator, old);
        for (var i = 0; i < 20; i++)
        {
            await Validate(fixture.Validator, old);
        }

        // No longer used: repeated sweeps halve its hit count until a newcomer takes its place.
        for (var i = 0; i < 200; i++)
        {
            var token = Hs(fixture, i);
            await Validate(fixture.Validator, token);
            await Validate(fixture.Validator, token);
        }

        Assert.NotSame(cached, await Validate(fixture.Validator, old));
    }

    [Fact]
    public void The_size_option_is_range_checked_at_start_up()
    {
        var negative = new BearerJwtOptions { ValidIssuer = TestJwt.Issuer, ValidAudience = TestJwt.Audience, RepeatTokenCacheSize = -1 };
        negative.VerificationKeys.Add(VerificationKey.Symmetric(new byte[32]));

        var error = Assert.Throws<ArgumentException>(() => TestValidators.SettingsFrom(negative));

        Assert.Contains("RepeatTokenCacheSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_longer_than_the_cached_length_limit_are_never_cached()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 16);
        var token = Rs(fixture, ValidatorFixture.Now, $"\"groups\":\"{new string('g', 4000)}\"");
        Assert.True(token.Length > RepeatTokenCache.MaxCachedTokenLength);

        for (var i = 0; i < 3; i++)
        {
            await Validate(fixture.Validator, token);
        }

        Assert.Equal(0, fixture.Validator.RepeatTokens!.Count);
    }

    private static string Rs(ValidatorFixture fixture, DateTimeOffset now, string? extra = null, string audience = TestJwt.Audience) =>
        TestJwt.Rs(fixture.Rsa, TestJwt.Payload(now, extra?.Trim(), audience: audience), headerJson: """{"alg":"RS256","kid":"rs"}""");

    private static string Hs(ValidatorFixture fixture, int jti) =>
        TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload($"\"jti\":\"flood-{jti}\""), headerJson: """{"alg":"HS256","kid":"hs"}""");

    private static async Task<ValidatedToken> Validate(BearerJwtValidator validator, string token)
    {
        var result = await validator.ValidateAsync(token, Ct);
        Assert.Equal(TokenFailureReason.None, result.Failure);
        return result.Token!;
    }

    /// <summary>Validates twice (admission on second sight) and returns the cached instance the third call serves.</summary>
    /// <summary>A validator with a 16-entry cache over <paramref name="resolver"/>'s keys.</summary>
    private static BearerJwtValidator CachingValidator(ValidatorFixture fixture, SwitchableResolver resolver) =>
        TestValidators.From(
            new BearerJwtOptions
            {
                ValidIssuer = TestJwt.Issuer,
                ValidAudience = TestJwt.Audience,
                KeyResolver = resolver,
                RepeatTokenCacheSize = 16,
            },
            fixture.Time);

    private static async Task<ValidatedToken> Admit(BearerJwtValidator validator, string token)
    {
        await Validate(validator, token);
        var admitted = await Validate(validator, token);
        Assert.Same(admitted, await Validate(validator, token));
        return admitted;
    }

    private sealed class SettableTimeProvider(DateTimeOffset now) : TimeProvider
    {
        internal DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class JtiRevocation : ITokenRevocationCheck
    {
        private readonly ConcurrentDictionary<string, byte> _revoked = new(StringComparer.Ordinal);
        private int _calls;

        internal int Calls => Volatile.Read(ref _calls);

        internal void Revoke(string jti) => _revoked[jti] = 0;

        public ValueTask<TokenRevocationStatus> CheckAsync(ValidatedToken token, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(token.TokenId is { } jti && _revoked.ContainsKey(jti) ? TokenRevocationStatus.Revoked : TokenRevocationStatus.NotRevoked);
        }
    }

    private sealed class SwitchableResolver(VerificationKey key) : IKeyResolver
    {
        internal IReadOnlyList<VerificationKey> Keys { get; set; } = [key];

        internal bool Unavailable { get; set; }

        public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Unavailable ? KeyResolution.Unavailable : KeyResolution.Found(Keys));

        public bool HasKeysBoundTo(string issuer)
        {
            foreach (var key in Keys)
            {
                if (key.Issuer == issuer)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
