using System.Globalization;
using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Revocation;

// Over 300 lines: the contract is one list every store must pass; split, a store could skip half of it.
/// <summary>

/// What every <see cref="ITokenRevocationStore"/> must do, as facts a store's test class inherits (like ASP.NET Core's
/// <c>SharedAuthenticationTests&lt;TOptions&gt;</c>): a revocation of one kind (<c>jti</c>, <c>sid</c>, <c>sub</c>) refuses
/// exactly the tokens it names; it ends at its <c>until</c>; a second revocation of the same thing keeps the later
/// cut-off and the longer life; concurrent writers and readers lose nothing; tokens without the claims are never
/// refused. The tokens are real: minted, then validated into <see cref="ValidatedToken"/> instances.
/// </summary>
/// <remarks>
/// <para>
/// The subject cut-off is strict: a subject revocation refuses a token whose <c>iat</c> is earlier than the store's
/// clock at the call, or that has no <c>iat</c>; a token whose <c>iat</c> equals that instant counts as issued at or
/// after it and is kept. Issuers usually write <c>iat</c> in whole seconds (truncated), so a token with <c>iat</c>
/// <c>T</c> was issued during [<c>T</c>, <c>T</c>+1): a revocation at <c>T</c>.5 refuses every token with <c>iat</c>
/// <c>T</c>, also one issued at <c>T</c>.7 after it (the store cannot tell them apart, and refusing is the safe side),
/// while a revocation exactly at <c>T</c>.0 keeps them.
/// </para>
/// <para>
/// A revocation is in force strictly before its <c>until</c> and gone from <c>until</c> on, as a token is valid
/// strictly before its <c>exp</c>.
/// </para>
/// </remarks>
public abstract class TokenRevocationStoreContract
{
    /// <summary>The instant every store's clock starts at, a whole second (Unix time <see cref="T"/>).</summary>
    protected const long T = 1_780_000_000;

    /// <summary><see cref="T"/> as an instant.</summary>
    protected static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(T);

    private static readonly byte[] Key = SHA256.HashData("Bearer.Auth revocation contract key"u8);

    /// <summary>
    /// Validates the contract's tokens. Its own clock stands a day after <see cref="Start"/>, so every <c>iat</c> used
    /// here is in its past and no token expires, whatever the store's clock does.
    /// </summary>
    private static readonly BearerJwtValidator Validator = CreateValidator();

    /// <summary>Creates the store under test, reading <paramref name="time"/>.</summary>
    /// <param name="time">The store's clock, at <see cref="Start"/>.</param>
    /// <returns>An empty store.</returns>
    protected abstract ITokenRevocationStore CreateStore(FakeTimeProvider time);

    /// <summary>
    /// The entries <paramref name="store"/> holds, live or not yet dropped, for stores that can tell; <see langword="null"/>
    /// (the default) skips the memory facts for a store that cannot, e.g. one whose backing cache evicts on its own.
    /// </summary>
    /// <param name="store">A store made by <see cref="CreateStore"/>.</param>
    /// <returns>The count, or <see langword="null"/>.</returns>
    protected virtual int? CountOf(ITokenRevocationStore store) => null;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_empty_store_reports_no_token_revoked()
    {
        var store = CreateStore(new FakeTimeProvider(Start));

        Assert.False(await store.IsRevokedAsync(await Token("\"jti\":\"j-1\",\"sid\":\"s-1\",\"sub\":\"user-1\",\"iat\":1779999999"), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\""), Ct));
        Assert.False(await store.IsRevokedAsync(await Token(null), Ct));
    }

    [Fact]
    public async Task A_token_without_jti_sid_or_sub_is_never_refused()
    {
        var store = CreateStore(new FakeTimeProvider(Start));
        await store.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        await store.RevokeSessionAsync("s-1", Start.AddHours(1), Ct);
        await store.RevokeSubjectAsync("user-1", Start.AddHours(1), Ct);

        Assert.False(await store.IsRevokedAsync(await Token(null), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"iat\":1779999999"), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"jti\":\"\",\"sid\":\"\",\"sub\":\"\""), Ct));
    }

    [Fact]
    public async Task Revoking_a_token_id_refuses_that_token_and_no_other()
    {
        var store = CreateStore(new FakeTimeProvider(Start));
        var revoked = await Token("\"jti\":\"j-1\",\"sid\":\"s-1\",\"sub\":\"user-1\"");
        var sameSessionAndSubject = await Token("\"jti\":\"j-2\",\"sid\":\"s-1\",\"sub\":\"user-1\"");

        await store.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);

        Assert.True(await store.IsRevokedAsync(revoked, Ct));
        Assert.True(await store.IsRevokedAsync(await Token("\"jti\":\"j-1\""), Ct));
        Assert.False(await store.IsRevokedAsync(sameSessionAndSubject, Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"jti\":\"J-1\""), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"jti\":\"j-10\""), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\""), Ct));

        // The kinds are separate: a session or subject that happens to be spelled like the jti is not revoked.
        Assert.False(await store.IsRevokedAsync(await Token("\"sid\":\"j-1\",\"sub\":\"j-1\""), Ct));
    }

    [Fact]
    public async Task Revoking_a_session_refuses_every_token_of_that_session_and_none_outside_it()
    {
        var store = CreateStore(new FakeTimeProvider(Start));

        await store.RevokeSessionAsync("s-1", Start.AddHours(1), Ct);

        Assert.True(await store.IsRevokedAsync(await Token("\"jti\":\"j-1\",\"sid\":\"s-1\",\"sub\":\"user-1\""), Ct));
        Assert.True(await store.IsRevokedAsync(await Token("\"jti\":\"j-2\",\"sid\":\"s-1\",\"sub\":\"user-2\""), Ct));
        Assert.True(await store.IsRevokedAsync(await Token("\"sid\":\"s-1\""), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"jti\":\"j-3\",\"sid\":\"s-2\",\"sub\":\"user-1\""), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"jti\":\"j-4\",\"sub\":\"user-1\""), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"jti\":\"s-1\",\"sub\":\"s-1\""), Ct));
    }

    [Fact]
    public async Task Revoking_a_subject_refuses_its_tokens_issued_before_and_never_one_issued_after()
    {
        var time = new FakeTimeProvider(Start);
        var store = CreateStore(time);
        time.Advance(TimeSpan.FromMilliseconds(500)); // the revocation happens at T.5

        await store.RevokeSubjectAsync("user-1", Start.AddHours(1), Ct);

        Assert.True(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\",\"iat\":1779999000"), Ct));
        Assert.True(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\",\"iat\":1780000000.25"), Ct));
        Assert.True(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\",\"jti\":\"j-1\",\"sid\":\"s-1\""), Ct)); // no iat
        Assert.False(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\",\"iat\":1780000000.75"), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\",\"iat\":1780000001"), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"sub\":\"user-2\",\"iat\":1779999000"), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"sub\":\"user-2\""), Ct));
        Assert.False(await store.IsRevokedAsync(await Token("\"jti\":\"user-1\",\"sid\":\"user-1\""), Ct));
    }

    [Fact]
    public async Task A_subject_revocation_never_refuses_a_whole_second_token_of_its_own_second_which_may_come_after_it()
    {
        var time = new FakeTimeProvider(Start);
        var store = CreateStore(time);
        time.Advance(TimeSpan.FromMilliseconds(500));

        await store.RevokeSubjectAsync("user-1", Start.AddHours(1), Ct);

        // iat T may have been issued at T.2 (before) or T.7 (after): kept, so a sign-in right after works at once.
        Assert.False(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\",\"iat\":1780000000"), Ct));
        Assert.True(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\",\"iat\":1779999999"), Ct));

        // An iat equal to the revocation's instant is not earlier than it: kept.
        Assert.False(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\",\"iat\":1780000000.5"), Ct));
    }

    [Fact]
    public async Task A_subject_revocation_at_a_whole_second_keeps_tokens_issued_in_that_second()
    {
        var store = CreateStore(new FakeTimeProvider(Start)); // the clock shows T.0 exactly

        await store.RevokeSubjectAsync("user-1", Start.AddHours(1), Ct);

        Assert.False(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\",\"iat\":1780000000"), Ct));
        Assert.True(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\",\"iat\":1779999999.75"), Ct));
        Assert.True(await store.IsRevokedAsync(await Token("\"sub\":\"user-1\",\"iat\":1779999999"), Ct));
    }

    [Fact]
    public async Task A_revocation_ends_at_its_until()
    {
        var time = new FakeTimeProvider(Start);
        var store = CreateStore(time);
        var byId = await Token("\"jti\":\"j-1\"");
        var bySession = await Token("\"sid\":\"s-1\"");
        var bySubject = await Token("\"sub\":\"user-1\",\"iat\":1779999000");
        await store.RevokeTokenAsync("j-1", Start.AddMinutes(10), Ct);
        await store.RevokeSessionAsync("s-1", Start.AddMinutes(20), Ct);
        time.Advance(TimeSpan.FromSeconds(1));
        await store.RevokeSubjectAsync("user-1", Start.AddMinutes(30), Ct);

        time.SetUtcNow(Start.AddMinutes(10).AddSeconds(-1));
        Assert.True(await store.IsRevokedAsync(byId, Ct));
        time.SetUtcNow(Start.AddMinutes(10));
        Assert.False(await store.IsRevokedAsync(byId, Ct));
        Assert.True(await store.IsRevokedAsync(bySession, Ct));

        time.SetUtcNow(Start.AddMinutes(20).AddSeconds(-1));
        Assert.True(await store.IsRevokedAsync(bySession, Ct));
        time.SetUtcNow(Start.AddMinutes(20));
        Assert.False(await store.IsRevokedAsync(bySession, Ct));
        Assert.True(await store.IsRevokedAsync(bySubject, Ct));

        time.SetUtcNow(Start.AddMinutes(30).AddSeconds(-1));
        Assert.True(await store.IsRevokedAsync(bySubject, Ct));
        time.SetUtcNow(Start.AddMinutes(30));
        Assert.False(await store.IsRevokedAsync(bySubject, Ct));

        // Asked again after the end (a store may have dropped the entry on the first lookup): still not revoked.
        Assert.False(await store.IsRevokedAsync(byId, Ct));
        Assert.False(await store.IsRevokedAsync(bySession, Ct));
        Assert.False(await store.IsRevokedAsync(bySubject, Ct));
    }

    [Fact]
    public async Task A_token_revoked_again_after_its_revocation_ended_is_refused_again()
    {
        var time = new FakeTimeProvider(Start);
        var store = CreateStore(time);
        var token = await Token("\"jti\":\"j-1\",\"sid\":\"s-1\",\"sub\":\"user-1\",\"iat\":1779999000");
        await store.RevokeTokenAsync("j-1", Start.AddMinutes(1), Ct);
        await store.RevokeSessionAsync("s-1", Start.AddMinutes(1), Ct);
        await store.RevokeSubjectAsync("user-1", Start.AddMinutes(1), Ct);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await store.IsRevokedAsync(token, Ct));

        await store.RevokeTokenAsync("j-1", Start.AddMinutes(10), Ct);
        Assert.True(await store.IsRevokedAsync(token, Ct));
        time.Advance(TimeSpan.FromMinutes(10));

        await store.RevokeSessionAsync("s-1", Start.AddMinutes(30), Ct);
        Assert.True(await store.IsRevokedAsync(token, Ct));
        time.Advance(TimeSpan.FromMinutes(10));

        await store.RevokeSubjectAsync("user-1", Start.AddMinutes(40), Ct);
        Assert.True(await store.IsRevokedAsync(token, Ct));
    }

    [Fact]
    public async Task A_revocation_whose_until_has_passed_is_not_kept()
    {
        var time = new FakeTimeProvider(Start);
        var store = CreateStore(time);
        var token = await Token("\"jti\":\"j-1\",\"sid\":\"s-1\",\"sub\":\"user-1\",\"iat\":1779999000");

        await store.RevokeTokenAsync("j-1", Start.AddSeconds(-1), Ct);
        await store.RevokeSessionAsync("s-1", Start, Ct);
        await store.RevokeSubjectAsync("user-1", Start.AddDays(-1), Ct);

        Assert.False(await store.IsRevokedAsync(token, Ct));
        if (CountOf(store) is { } count)
        {
            Assert.Equal(0, count);
        }
    }

    [Fact]
    public async Task Revoking_a_token_or_session_twice_keeps_the_longer_life()
    {
        var time = new FakeTimeProvider(Start);
        var store = CreateStore(time);
        var longThenShort = await Token("\"jti\":\"j-1\"");
        var shortThenLong = await Token("\"jti\":\"j-2\"");
        var session = await Token("\"sid\":\"s-1\"");

        await store.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        await store.RevokeTokenAsync("j-1", Start.AddMinutes(10), Ct);
        await store.RevokeTokenAsync("j-2", Start.AddMinutes(10), Ct);
        await store.RevokeTokenAsync("j-2", Start.AddHours(1), Ct);
        await store.RevokeSessionAsync("s-1", Start.AddHours(1), Ct);
        await store.RevokeSessionAsync("s-1", Start.AddMinutes(10), Ct);
        time.SetUtcNow(Start.AddMinutes(30));

        Assert.True(await store.IsRevokedAsync(longThenShort, Ct));
        Assert.True(await store.IsRevokedAsync(shortThenLong, Ct));
        Assert.True(await store.IsRevokedAsync(session, Ct));

        time.SetUtcNow(Start.AddHours(1));
        Assert.False(await store.IsRevokedAsync(longThenShort, Ct));
        Assert.False(await store.IsRevokedAsync(shortThenLong, Ct));
        Assert.False(await store.IsRevokedAsync(session, Ct));
    }

    [Fact]
    public async Task Revoking_a_subject_twice_keeps_the_later_cut_off_and_the_longer_life()
    {
        var time = new FakeTimeProvider(Start);
        var store = CreateStore(time);
        var issuedFirst = await Token("\"sub\":\"user-1\",\"iat\":1780000000.25");
        var issuedBetween = await Token("\"sub\":\"user-1\",\"iat\":1780000001.5");
        var issuedAfterBoth = await Token("\"sub\":\"user-1\",\"iat\":1780000002.75");

        time.SetUtcNow(Start.AddSeconds(0.5));
        await store.RevokeSubjectAsync("user-1", Start.AddHours(1), Ct);
        Assert.False(await store.IsRevokedAsync(issuedBetween, Ct));

        // Later, with a shorter life: the cut-off moves on, the life does not shrink.
        time.SetUtcNow(Start.AddSeconds(2.5));
        await store.RevokeSubjectAsync("user-1", Start.AddMinutes(10), Ct);

        Assert.True(await store.IsRevokedAsync(issuedFirst, Ct));
        Assert.True(await store.IsRevokedAsync(issuedBetween, Ct));
        Assert.False(await store.IsRevokedAsync(issuedAfterBoth, Ct));

        // Past the second revocation's until, the first one's still holds (whether it also holds a token issued
        // between the two is the store's choice: one merged entry refuses it, two separate entries would not).
        time.SetUtcNow(Start.AddMinutes(30));
        Assert.True(await store.IsRevokedAsync(issuedFirst, Ct));
        Assert.False(await store.IsRevokedAsync(issuedAfterBoth, Ct));

        time.SetUtcNow(Start.AddHours(1));
        Assert.False(await store.IsRevokedAsync(issuedFirst, Ct));
    }

    [Fact]
    public async Task Concurrent_revocations_and_checks_lose_nothing()
    {
        const int Writers = 8;
        const int PerWriter = 100;
        var time = new FakeTimeProvider(Start);
        var store = CreateStore(time);
        var tokens = new ValidatedToken[Writers][];
        for (var w = 0; w < Writers; w++)
        {
            tokens[w] = new ValidatedToken[PerWriter];
            for (var i = 0; i < PerWriter; i++)
            {
                tokens[w][i] = await Token($"\"jti\":\"{Id(w, i)}\"");
            }
        }

        var bystander = await Token("\"jti\":\"bystander\",\"sid\":\"s-bystander\",\"sub\":\"user-bystander\",\"iat\":1779999000");
        var shared = await Token("\"sid\":\"shared\"");
        var unseenWrites = 0;
        var bystanderRefusals = 0;
        var lastSharedUntil = Start.AddHours(1).AddSeconds((Writers * PerWriter) - 1);

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(
            async () =>
            {
                for (var i = 0; i < PerWriter; i++)
                {
                    await store.RevokeTokenAsync(Id(w, i), Start.AddDays(1), Ct);

                    // Every writer extends the same session, each to another end: the longest must survive.
                    await store.RevokeSessionAsync("shared", Start.AddHours(1).AddSeconds((w * PerWriter) + i), Ct);

                    // Short-lived entries, which expire while the clock moves, give the sweeps something to drop.
                    await store.RevokeSubjectAsync($"user-{w}-{i}", time.GetUtcNow().AddSeconds(30), Ct);

                    if (!await store.IsRevokedAsync(tokens[w][i], Ct))
                    {
                        Interlocked.Increment(ref unseenWrites);
                    }

                    if (await store.IsRevokedAsync(bystander, Ct))
                    {
                        Interlocked.Increment(ref bystanderRefusals);
                    }
                }
            },
            Ct)).ToList();
        var clock = Task.Run(
            async () =>
            {
                for (var step = 0; step < 20; step++)
                {
                    time.Advance(TimeSpan.FromSeconds(61));
                    await Task.Yield();
                }
            },
            Ct);
        await Task.WhenAll([.. writers, clock]);

        Assert.Equal(0, unseenWrites);
        Assert.Equal(0, bystanderRefusals);
        foreach (var token in tokens.SelectMany(t => t))
        {
            Assert.True(await store.IsRevokedAsync(token, Ct), token.TokenId);
        }

        time.SetUtcNow(lastSharedUntil.AddSeconds(-1));
        Assert.True(await store.IsRevokedAsync(shared, Ct));
        time.SetUtcNow(lastSharedUntil);
        Assert.False(await store.IsRevokedAsync(shared, Ct));
    }

    /// <summary>
    /// Validates a token whose payload holds <c>iss</c>, <c>aud</c> and <c>exp</c> plus <paramref name="claims"/>
    /// (JSON members, no braces), failing the test when the validator refuses it.
    /// </summary>
    protected static async Task<ValidatedToken> Token(string? claims)
    {
        var exp = (T + 172_800).ToString(CultureInfo.InvariantCulture);
        var payload = $$"""{"iss":"{{TestJwt.Issuer}}","aud":"{{TestJwt.Audience}}","exp":{{exp}}""" + (claims is null ? "}" : "," + claims + "}");
        var result = await Validator.ValidateAsync(TestJwt.Hs(Key, payload), Ct);
        Assert.True(result.Succeeded, result.Failure.ToString());
        return result.Token!;
    }

    private static string Id(int writer, int index) => $"j-{writer}-{index}";

    private static BearerJwtValidator CreateValidator()
    {
        var options = new BearerJwtOptions { ValidIssuer = TestJwt.Issuer, ValidAudience = TestJwt.Audience, RepeatTokenCacheSize = 0 };
        options.VerificationKeys.Add(VerificationKey.Symmetric(Key));
        return TestValidators.From(options, new FakeTimeProvider(Start.AddDays(1)));
    }
}
