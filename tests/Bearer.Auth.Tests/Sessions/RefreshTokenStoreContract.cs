using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Sessions;

// Over 300 lines: the contract is one list every store must pass; split, a store could skip half of it.
/// <summary>
/// What every <see cref="IRefreshTokenStore"/> must do, driven through <see cref="BearerJwtRefreshTokens"/> as an
/// application would: tokens rotate on every use; the previous token within the grace period gets the same successor;
/// any other replaced token revokes the session; a token is refused for another client, after its idle lifetime, after
/// its session's end (which rotation never moves), and once its session or subject is revoked; concurrent
/// presentations of one token yield exactly one successor. Lifetimes: 14 days idle, 30 days session, 30 s grace.
/// </summary>
public abstract class RefreshTokenStoreContract
{
    protected const string Client = "web-app";

    protected static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);
    protected static readonly TimeSpan Idle = TimeSpan.FromDays(14);
    protected static readonly TimeSpan Absolute = TimeSpan.FromDays(30);
    protected static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <summary>Creates the store under test, reading <paramref name="time"/>.</summary>
    /// <param name="time">The store's clock, at <see cref="Start"/>.</param>
    /// <returns>An empty store.</returns>
    protected abstract IRefreshTokenStore CreateStore(FakeTimeProvider time);

    /// <summary>Every value the store holds, as text, for stores that can show it; <see langword="null"/> skips the plaintext fact.</summary>
    /// <param name="store">A store made by <see cref="CreateStore"/>.</param>
    /// <returns>The values, or <see langword="null"/>.</returns>
    protected virtual IReadOnlyCollection<string>? KeptValues(IRefreshTokenStore store) => null;

    /// <summary>Lets a store pause inside its rotation, so a race between presentations is likely to happen when it can.</summary>
    /// <param name="store">A store made by <see cref="CreateStore"/>.</param>
    protected virtual void WidenRaceWindow(IRefreshTokenStore store)
    {
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected (FakeTimeProvider Time, IRefreshTokenStore Store, BearerJwtRefreshTokens Tokens) Create(TimeSpan? grace = null, ITokenRevocationStore? accessTokens = null)
    {
        var time = new FakeTimeProvider(Start);
        var store = CreateStore(time);
        var options = new BearerJwtRefreshTokenOptions { RefreshTokenLifetime = Idle, SessionLifetime = Absolute, RefreshReuseGracePeriod = grace ?? Grace };
        return (time, store, new BearerJwtRefreshTokens(store, Microsoft.Extensions.Options.Options.Create(options), accessTokens, time));
    }

    [Fact]
    public async Task A_session_starts_with_an_opaque_256_bit_token_bound_to_subject_session_and_client()
    {
        var (_, _, tokens) = Create();

        var first = await tokens.StartSessionAsync("alice", Client, Ct);
        var second = await tokens.StartSessionAsync("alice", Client, Ct);

        Assert.True(first.Succeeded);
        Assert.Equal(43, first.RefreshToken!.Length);
        Assert.Equal(32, Base64Url.DecodeFromChars(first.RefreshToken).Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", first.RefreshToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal("alice", first.Session!.Subject);
        Assert.Equal(Client, first.Session.ClientId);
        Assert.NotEqual(first.Session.SessionId, second.Session!.SessionId);
        Assert.Equal(Start, first.Session.CreatedAt);
        Assert.Equal(Start + Absolute, first.Session.ExpiresAt);
        Assert.Equal(Start + Idle, first.ExpiresAt);
    }

    [Fact]
    public async Task A_refresh_rotates_the_token_within_the_same_session()
    {
        var (time, _, tokens) = Create();
        var start = await tokens.StartSessionAsync("alice", Client, Ct);
        time.Advance(TimeSpan.FromMinutes(15));

        var next = await tokens.RefreshAsync(start.RefreshToken, Client, Ct);

        Assert.True(next.Succeeded, next.FailureCode);
        Assert.Null(next.FailureCode);
        Assert.NotEqual(start.RefreshToken, next.RefreshToken);
        Assert.Equal(start.Session!.SessionId, next.Session!.SessionId);
        Assert.Equal("alice", next.Session.Subject);
        Assert.Equal(Start + TimeSpan.FromMinutes(15) + Idle, next.ExpiresAt); // the idle lifetime slides
        Assert.True((await tokens.RefreshAsync(next.RefreshToken, Client, Ct)).Succeeded);
    }

    [Fact]
    public async Task A_retry_within_the_grace_period_returns_the_same_successor()
    {
        var (time, _, tokens) = Create();
        var start = await tokens.StartSessionAsync("alice", Client, Ct);
        var next = await tokens.RefreshAsync(start.RefreshToken, Client, Ct);

        time.Advance(TimeSpan.FromSeconds(10));
        var retry = await tokens.RefreshAsync(start.RefreshToken, Client, Ct);
        time.Advance(Grace - TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        var lastRetry = await tokens.RefreshAsync(start.RefreshToken, Client, Ct);

        Assert.True(retry.Succeeded, retry.FailureCode);
        Assert.Equal(next.RefreshToken, retry.RefreshToken);
        Assert.Equal(next.ExpiresAt, retry.ExpiresAt);
        Assert.Equal(next.Session!.SessionId, retry.Session!.SessionId);
        Assert.Equal(next.RefreshToken, lastRetry.RefreshToken);

        // The retries changed nothing: the successor is still the current token.
        var after = await tokens.RefreshAsync(next.RefreshToken, Client, Ct);
        Assert.True(after.Succeeded, after.FailureCode);
    }

    [Fact]
    public async Task The_previous_token_after_the_grace_period_is_a_reuse_that_revokes_the_session()
    {
        var (time, _, tokens) = Create();
        var start = await tokens.StartSessionAsync("alice", Client, Ct);
        var next = await tokens.RefreshAsync(start.RefreshToken, Client, Ct);
        time.Advance(Grace);

        var reuse = await tokens.RefreshAsync(start.RefreshToken, Client, Ct);

        Assert.Equal(RefreshTokenFailure.Reused, reuse.Failure);
        Assert.Equal("reused", reuse.FailureCode);
        Assert.Equal(start.Session!.SessionId, reuse.RevokedSessionId);
        Assert.Null(reuse.RefreshToken);
        var successor = await tokens.RefreshAsync(next.RefreshToken, Client, Ct);
        Assert.Equal(RefreshTokenFailure.Revoked, successor.Failure);
        Assert.Null(successor.RevokedSessionId); // revoked before, not by this call
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(start.RefreshToken, Client, Ct)).Failure);
    }

    [Fact]
    public async Task Reuse_revokes_every_later_token_of_the_session()
    {
        var (time, _, tokens) = Create();
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var t1 = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        time.Advance(TimeSpan.FromMinutes(15));
        var t2 = await tokens.RefreshAsync(t1.RefreshToken, Client, Ct);
        time.Advance(TimeSpan.FromMinutes(15));

        // t1 is the previous token of t2, but its grace period is over: a thief's copy.
        Assert.Equal(RefreshTokenFailure.Reused, (await tokens.RefreshAsync(t1.RefreshToken, Client, Ct)).Failure);

        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(t2.RefreshToken, Client, Ct)).Failure);
    }

    [Fact]
    public async Task An_older_token_is_a_reuse_even_within_the_grace_period()
    {
        var (_, _, tokens) = Create();
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var t1 = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        var t2 = await tokens.RefreshAsync(t1.RefreshToken, Client, Ct);

        // No time has passed, but t0 is not the token t2 replaced.
        var reuse = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);

        Assert.Equal(RefreshTokenFailure.Reused, reuse.Failure);
        Assert.Equal(t0.Session!.SessionId, reuse.RevokedSessionId);
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(t2.RefreshToken, Client, Ct)).Failure);
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(t1.RefreshToken, Client, Ct)).Failure);
    }

    [Fact]
    public async Task With_no_grace_period_a_second_presentation_is_a_reuse()
    {
        var (_, _, tokens) = Create(TimeSpan.Zero);
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var t1 = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);

        Assert.Equal(RefreshTokenFailure.Reused, (await tokens.RefreshAsync(t0.RefreshToken, Client, Ct)).Failure);
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(t1.RefreshToken, Client, Ct)).Failure);
    }

    [Fact]
    public async Task Another_client_is_refused_and_the_session_is_left_as_it_was()
    {
        var (_, _, tokens) = Create();
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);

        var wrong = await tokens.RefreshAsync(t0.RefreshToken, "other-app", Ct);

        Assert.Equal(RefreshTokenFailure.WrongClient, wrong.Failure);
        Assert.Equal("wrong_client", wrong.FailureCode);
        Assert.Null(wrong.RevokedSessionId);
        var t1 = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        Assert.True(t1.Succeeded, t1.FailureCode);

        // A retry of the previous token by another client is refused too, and changes nothing either.
        Assert.Equal(RefreshTokenFailure.WrongClient, (await tokens.RefreshAsync(t0.RefreshToken, "other-app", Ct)).Failure);
        Assert.Equal(RefreshTokenFailure.WrongClient, (await tokens.RefreshAsync(t0.RefreshToken, "WEB-APP", Ct)).Failure);
        Assert.Equal(t1.RefreshToken, (await tokens.RefreshAsync(t0.RefreshToken, Client, Ct)).RefreshToken);
    }

    [Fact]
    public async Task A_token_unused_for_its_idle_lifetime_expires()
    {
        var (time, _, tokens) = Create();
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var s1 = await tokens.StartSessionAsync("bob", Client, Ct);

        time.Advance(Idle - TimeSpan.FromTicks(1));
        Assert.True((await tokens.RefreshAsync(s1.RefreshToken, Client, Ct)).Succeeded);
        time.Advance(TimeSpan.FromTicks(1));

        var expired = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        Assert.Equal(RefreshTokenFailure.Expired, expired.Failure);
        Assert.Equal("expired", expired.FailureCode);
    }

    [Fact]
    public async Task Rotation_slides_the_idle_lifetime_but_never_past_the_session_end()
    {
        var (time, _, tokens) = Create();
        var token = (await tokens.StartSessionAsync("alice", Client, Ct)).RefreshToken;
        var rotations = new List<RefreshTokenResult>();
        foreach (var day in new[] { 10, 20, 29 })
        {
            time.SetUtcNow(Start + TimeSpan.FromDays(day));
            var next = await tokens.RefreshAsync(token, Client, Ct);
            Assert.True(next.Succeeded, $"day {day}: {next.FailureCode}");
            rotations.Add(next);
            token = next.RefreshToken;
        }

        Assert.Equal(Start + TimeSpan.FromDays(24), rotations[0].ExpiresAt);
        Assert.Equal(Start + Absolute, rotations[1].ExpiresAt); // day 20 + 14 would be day 34
        Assert.Equal(Start + Absolute, rotations[2].ExpiresAt);
        Assert.Equal(Start + Absolute, rotations[2].Session!.ExpiresAt);

        time.SetUtcNow(Start + Absolute - TimeSpan.FromTicks(1));
        var last = await tokens.RefreshAsync(token, Client, Ct);
        Assert.True(last.Succeeded, last.FailureCode);
        time.SetUtcNow(Start + Absolute);
        Assert.Equal(RefreshTokenFailure.Expired, (await tokens.RefreshAsync(last.RefreshToken, Client, Ct)).Failure);
    }

    [Fact]
    public async Task Revoking_a_session_refuses_its_tokens_and_no_other_session()
    {
        var (_, _, tokens) = Create();
        var phone = await tokens.StartSessionAsync("alice", Client, Ct);
        var laptop = await tokens.StartSessionAsync("alice", Client, Ct);
        var next = await tokens.RefreshAsync(phone.RefreshToken, Client, Ct);

        var revoked = await tokens.RevokeSessionAsync(phone.Session!.SessionId, Ct);

        Assert.Equal(phone.Session.SessionId, revoked!.SessionId);
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(next.RefreshToken, Client, Ct)).Failure);
        Assert.Equal("revoked", (await tokens.RefreshAsync(phone.RefreshToken, Client, Ct)).FailureCode); // within grace, still revoked
        Assert.True((await tokens.RefreshAsync(laptop.RefreshToken, Client, Ct)).Succeeded);
        Assert.Null(await tokens.RevokeSessionAsync("no-such-session", Ct));
    }

    [Fact]
    public async Task Revoking_a_subject_refuses_all_its_sessions_leaves_others_and_allows_a_new_one()
    {
        var (_, _, tokens) = Create();
        var alice1 = await tokens.StartSessionAsync("alice", Client, Ct);
        var alice2 = await tokens.StartSessionAsync("alice", "mobile-app", Ct);
        var bob = await tokens.StartSessionAsync("bob", Client, Ct);

        var revoked = await tokens.RevokeSubjectAsync("alice", Ct);

        Assert.Equal(
            new[] { alice1.Session!.SessionId, alice2.Session!.SessionId }.Order(StringComparer.Ordinal),
            revoked.Select(s => s.SessionId).Order(StringComparer.Ordinal));
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(alice1.RefreshToken, Client, Ct)).Failure);
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(alice2.RefreshToken, "mobile-app", Ct)).Failure);
        Assert.True((await tokens.RefreshAsync(bob.RefreshToken, Client, Ct)).Succeeded);

        var again = await tokens.StartSessionAsync("alice", Client, Ct);
        Assert.True((await tokens.RefreshAsync(again.RefreshToken, Client, Ct)).Succeeded);
        Assert.Empty(await tokens.RevokeSubjectAsync("carol", Ct));
    }

    [Fact]
    public async Task A_reuse_whose_access_token_revocation_failed_completes_it_on_the_next_presentation_and_then_never_writes_again()
    {
        var accessTokens = new RevocationStoreFailingOnce();
        var (time, _, tokens) = Create(accessTokens: accessTokens);
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var t1 = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        time.Advance(Grace);
        var sid = t0.Session!.SessionId;

        // The refresh store revoked the session, then the revocation store failed: a 503 for this call.
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(async () => await tokens.RefreshAsync(t0.RefreshToken, Client, Ct));
        Assert.Empty(accessTokens.Revoked);

        // The client (or the thief) tries again: the session reads as revoked, and its access tokens are revoked now.
        var retry = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        Assert.Equal(RefreshTokenFailure.Revoked, retry.Failure);
        Assert.Equal([sid], accessTokens.Revoked);

        // Done once: later presentations of any of its tokens write nothing.
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(t1.RefreshToken, Client, Ct)).Failure);
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(t0.RefreshToken, Client, Ct)).Failure);
        Assert.Equal([sid, sid], accessTokens.Attempts);
    }

    [Fact]
    public async Task A_reuse_whose_access_tokens_were_revoked_writes_once_however_often_its_tokens_come_back()
    {
        var accessTokens = new RevocationStoreFailingOnce();
        var (time, _, tokens) = Create(accessTokens: accessTokens);
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(async () => await tokens.RevokeSessionAsync("spent-failure", Ct)); // the one failure, elsewhere
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var t1 = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        time.Advance(Grace);

        var reuse = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(i % 2 == 0 ? t0.RefreshToken : t1.RefreshToken, Client, Ct)).Failure);
        }

        Assert.Equal(RefreshTokenFailure.Reused, reuse.Failure);
        Assert.Equal([t0.Session!.SessionId], accessTokens.Revoked);
    }

    [Fact]
    public async Task A_sign_out_whose_access_token_revocation_failed_is_completed_by_its_retry()
    {
        var accessTokens = new RevocationStoreFailingOnce();
        var (_, _, tokens) = Create(accessTokens: accessTokens);
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var sid = t0.Session!.SessionId;

        await Assert.ThrowsAsync<TokenStoreUnavailableException>(async () => await tokens.RevokeSessionAsync(sid, Ct));
        Assert.Equal(sid, (await tokens.RevokeSessionAsync(sid, Ct))!.SessionId);

        Assert.Equal([sid], accessTokens.Revoked);
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(t0.RefreshToken, Client, Ct)).Failure);
        Assert.Equal([sid, sid], accessTokens.Attempts); // the presentation did not write again
    }

    [Fact]
    public async Task A_sign_out_whose_access_token_revocation_failed_and_was_not_retried_is_completed_by_the_next_presentation()
    {
        var accessTokens = new RevocationStoreFailingOnce();
        var (_, _, tokens) = Create(accessTokens: accessTokens);
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var sid = t0.Session!.SessionId;
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(async () => await tokens.RevokeSessionAsync(sid, Ct));

        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(t0.RefreshToken, Client, Ct)).Failure);
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(t0.RefreshToken, Client, Ct)).Failure);

        Assert.Equal([sid], accessTokens.Revoked);
        Assert.Equal([sid, sid], accessTokens.Attempts);
    }

    [Fact]
    public async Task A_sign_out_everywhere_whose_access_token_revocation_failed_is_completed_by_its_retry()
    {
        var accessTokens = new RevocationStoreFailingOnce();
        var (_, _, tokens) = Create(accessTokens: accessTokens);
        var phone = await tokens.StartSessionAsync("alice", Client, Ct);
        var laptop = await tokens.StartSessionAsync("alice", Client, Ct);
        var bob = await tokens.StartSessionAsync("bob", Client, Ct);
        var alices = new[] { phone.Session!.SessionId, laptop.Session!.SessionId }.Order(StringComparer.Ordinal).ToArray();

        await Assert.ThrowsAsync<TokenStoreUnavailableException>(async () => await tokens.RevokeSubjectAsync("alice", Ct));
        var retried = await tokens.RevokeSubjectAsync("alice", Ct);

        Assert.Equal(alices, retried.Select(s => s.SessionId).Order(StringComparer.Ordinal));
        Assert.Equal(alices, accessTokens.Revoked.Order(StringComparer.Ordinal));

        // Complete: a third call finds nothing left to do, and no presentation writes again.
        Assert.Empty(await tokens.RevokeSubjectAsync("alice", Ct));
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(phone.RefreshToken, Client, Ct)).Failure);
        Assert.Equal(RefreshTokenFailure.Revoked, (await tokens.RefreshAsync(laptop.RefreshToken, Client, Ct)).Failure);
        Assert.Equal(3, accessTokens.Attempts.Count);
        Assert.DoesNotContain(bob.Session!.SessionId, accessTokens.Attempts);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 42 characters
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 44 characters
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // padding
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")] // base64, not base64url
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // non-zero spare bits: a second spelling of ...AAA
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAé")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln")] // an access token is not a refresh token
    public async Task A_malformed_token_is_refused_as_malformed(string? presented)
    {
        var (_, _, tokens) = Create();
        await tokens.StartSessionAsync("alice", Client, Ct);

        var result = await tokens.RefreshAsync(presented, Client, Ct);

        Assert.Equal(RefreshTokenFailure.Malformed, result.Failure);
        Assert.Equal("malformed", result.FailureCode);
        Assert.Equal("The refresh token is malformed.", result.ErrorDescription);
    }

    [Fact]
    public async Task A_well_formed_token_no_session_holds_is_unknown()
    {
        var (_, _, tokens) = Create();
        await tokens.StartSessionAsync("alice", Client, Ct);

        var result = await tokens.RefreshAsync(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), Client, Ct);

        Assert.Equal(RefreshTokenFailure.Unknown, result.Failure);
        Assert.Null(result.Session);
        Assert.True((await tokens.RefreshAsync("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Client, Ct)).Failure == RefreshTokenFailure.Unknown);
    }

    [Fact]
    public async Task The_store_keeps_hashes_and_never_a_token()
    {
        var (_, store, tokens) = Create();
        var issued = new List<string>();
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var t1 = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        var t2 = await tokens.RefreshAsync(t1.RefreshToken, Client, Ct); // t1 → t2 sealed successor held for the grace period
        issued.AddRange([t0.RefreshToken!, t1.RefreshToken!, t2.RefreshToken!]);
        if (KeptValues(store) is not { } kept)
        {
            return;
        }

        foreach (var token in issued)
        {
            var bytes = Base64Url.DecodeFromChars(token);
            Assert.Contains(Base64Url.EncodeToString(SHA256.HashData(bytes)), kept); // what it should hold
            Assert.DoesNotContain(kept, value => value.Contains(token, StringComparison.Ordinal));
            Assert.DoesNotContain(kept, value => value.Contains(Convert.ToHexString(bytes), StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(kept, value => value.Contains(Convert.ToBase64String(bytes).TrimEnd('='), StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_thousand_concurrent_presentations_of_one_token_get_one_successor()
    {
        var (_, store, tokens) = Create();
        WidenRaceWindow(store);
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var presentations = Enumerable.Range(0, 1000).Select(_ => Task.Run(
            async () =>
            {
                await go.Task;
                return await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
            },
            Ct)).ToArray();
        go.SetResult();
        var results = await Task.WhenAll(presentations);

        Assert.All(results, r => Assert.True(r.Succeeded, r.FailureCode));
        var successor = Assert.Single(results.Select(r => r.RefreshToken).Distinct());
        Assert.NotEqual(t0.RefreshToken, successor);

        // That one successor is live and current: it rotates, and then t0 is an older token.
        var t2 = await tokens.RefreshAsync(successor, Client, Ct);
        Assert.True(t2.Succeeded, t2.FailureCode);
        Assert.Equal(RefreshTokenFailure.Reused, (await tokens.RefreshAsync(t0.RefreshToken, Client, Ct)).Failure);
    }

    [Fact]
    public async Task The_store_rotates_once_among_concurrent_offers_and_every_other_gets_the_winners_seal()
    {
        // Many rounds, every presentation released at once: a store whose decision is not atomic loses this race.
        for (var round = 0; round < 5; round++)
        {
            var (_, store, tokens) = Create();
            WidenRaceWindow(store);
            var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
            var presented = Hash(t0.RefreshToken!);
            var offers = Enumerable.Range(0, 1000).Select(i => (Hash: $"successor-{round}-{i}", Seal: new byte[] { (byte)i, (byte)(i >> 8) })).ToArray();
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var presentations = offers.Select(offer => Task.Run(
                async () =>
                {
                    await go.Task;
                    return await store.RotateAsync(new RefreshTokenRotationRequest(presented, Client, offer.Hash, offer.Seal, Idle, Grace), Ct);
                },
                Ct)).ToArray();
            go.SetResult();
            var rotations = await Task.WhenAll(presentations);

            var winner = Assert.Single(Enumerable.Range(0, 1000), i => rotations[i].Outcome == RefreshTokenRotationOutcome.Rotated);
            Assert.All(rotations.Where((_, i) => i != winner), r =>
            {
                Assert.Equal(RefreshTokenRotationOutcome.Retried, r.Outcome);
                Assert.Equal(offers[winner].Seal, r.SealedSuccessor.ToArray());
            });

            // Exactly one live successor: the winner's hash is current, no other offer was stored.
            foreach (var (hash, _) in offers.Where((_, i) => i != winner).Take(50))
            {
                Assert.Equal(RefreshTokenRotationOutcome.Unknown, (await store.RotateAsync(new RefreshTokenRotationRequest(hash, Client, "x-" + hash, new byte[1], Idle, Grace), Ct)).Outcome);
            }

            Assert.Equal(RefreshTokenRotationOutcome.Rotated, (await store.RotateAsync(new RefreshTokenRotationRequest(offers[winner].Hash, Client, $"next-{round}", new byte[1], Idle, Grace), Ct)).Outcome);
        }
    }

    protected static string Hash(string token) => Base64Url.EncodeToString(SHA256.HashData(Base64Url.DecodeFromChars(token)));
}
