using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Keys.Ring;

/// <summary>The ring's schedule: a key is published before it signs, kept after it retires, and the same on every instance.</summary>
public sealed class SigningKeyRingTests
{
    [Fact]
    public async Task The_first_key_of_an_empty_ring_signs_at_once_and_is_published()
    {
        var time = KeyRings.Clock();
        var store = new InMemorySigningKeyStore(time);
        var ring = KeyRings.Ring(store, time);

        var key = ring.GetSigningKey();

        Assert.Equal(JwsAlgorithms.ES256, key.Algorithm);
        Assert.Equal(key.ToVerificationKey().ComputeJwkThumbprint(), key.KeyId);
        Assert.Equal([key.KeyId!], KeyRings.PublishedKeyIds(ring));
        var record = Assert.Single((await store.LoadAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(KeyRings.Start, record.ActivatesAt);
        Assert.Equal(KeyRings.Start + KeyRings.Rotation, record.RetiresAt);
        Assert.Equal(KeyRings.Start + KeyRings.Rotation + KeyRings.Retention, record.ExpiresAt);
    }

    [Fact]
    public void Over_several_rotations_every_new_key_is_published_at_least_the_lead_before_it_signs_and_handovers_leave_no_gap()
    {
        var time = KeyRings.Clock();
        var ring = KeyRings.Ring(new InMemorySigningKeyStore(time), time);
        var firstPublished = new Dictionary<string, DateTimeOffset>();
        var firstSigned = new Dictionary<string, DateTimeOffset>();
        var lastSigned = new Dictionary<string, DateTimeOffset>();
        var signers = new List<string>();

        for (var minute = 0; minute <= 4 * 24 * 60; minute++)
        {
            var now = time.GetUtcNow();
            foreach (var kid in KeyRings.PublishedKeyIds(ring))
            {
                firstPublished.TryAdd(kid, now);
            }

            var signing = ring.GetSigningKey().KeyId!;
            Assert.Contains(signing, KeyRings.PublishedKeyIds(ring));
            if (firstSigned.TryAdd(signing, now))
            {
                signers.Add(signing);
            }

            lastSigned[signing] = now;
            time.Advance(TimeSpan.FromMinutes(1));
        }

        // Four days of one-day keys: the first, then one per rotation.
        Assert.Equal(5, signers.Count);
        foreach (var kid in signers.Skip(1))
        {
            Assert.True(firstSigned[kid] - firstPublished[kid] >= KeyRings.Lead, $"{kid} was published at {firstPublished[kid]:O} and signed at {firstSigned[kid]:O}.");
        }

        for (var i = 1; i < signers.Count; i++)
        {
            // The successor takes over the minute its predecessor retires: exactly one rotation later.
            Assert.Equal(KeyRings.Start + (i * KeyRings.Rotation), firstSigned[signers[i]]);
            Assert.Equal(firstSigned[signers[i]] - TimeSpan.FromMinutes(1), lastSigned[signers[i - 1]]);
        }
    }

    [Fact]
    public async Task The_published_set_never_misses_a_key_that_signed_a_token_still_valid_with_the_clock_skew()
    {
        var time = KeyRings.Clock();
        var ring = KeyRings.Ring(new InMemorySigningKeyStore(time), time);
        var issuer = KeyRings.Issuer(ring, time);
        var validator = KeyRings.Validator(ring, time);
        var tokens = new List<IssuedAccessToken>();
        var checkedAfterRetirement = 0;

        for (var step = 0; step <= 3 * 24 * 12; step++)
        {
            tokens.Add(issuer.Issue(new AccessTokenRequest("user-1")));
            var now = time.GetUtcNow();
            var published = KeyRings.PublishedKeyIds(ring);
            var signing = ring.GetSigningKey().KeyId;
            foreach (var token in tokens)
            {
                if (token.ExpiresAt + BearerJwtIssuerOptions.MaximumClockSkew > now)
                {
                    var kid = KeyRings.KeyIdOf(token.Token);
                    Assert.Contains(kid, published);
                    if (kid != signing && token.ExpiresAt > now)
                    {
                        // Signed by a retired key, and still accepted.
                        Assert.Equal(TokenFailureReason.None, (await validator.ValidateAsync(token.Token, TestContext.Current.CancellationToken)).Failure);
                        checkedAfterRetirement++;
                    }
                }
            }

            tokens.RemoveAll(t => t.ExpiresAt + BearerJwtIssuerOptions.MaximumClockSkew <= now);
            time.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.True(checkedAfterRetirement > 0, "no token outlived the key that signed it in the run");
    }

    [Fact]
    public async Task A_token_signed_by_a_retired_key_validates_until_the_retention_ends_then_fails_with_key_not_found()
    {
        var time = KeyRings.Clock();
        var ring = KeyRings.Ring(new InMemorySigningKeyStore(time), time);
        var issuer = KeyRings.Issuer(ring, time);
        var first = ring.GetSigningKey().KeyId;

        // The last minute the first key signs.
        time.SetUtcNow(KeyRings.Start + KeyRings.Rotation - TimeSpan.FromMinutes(1));
        var token = issuer.Issue(new AccessTokenRequest("user-1")).Token;
        Assert.Equal(first, KeyRings.KeyIdOf(token));

        // Retired: the successor signs, the first key still verifies its token.
        time.SetUtcNow(KeyRings.Start + KeyRings.Rotation + TimeSpan.FromMinutes(10));
        Assert.NotEqual(first, ring.GetSigningKey().KeyId);
        var validator = KeyRings.Validator(ring, time);
        Assert.Equal(TokenFailureReason.None, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
        Assert.Contains(first, KeyRings.PublishedKeyIds(ring));

        // The last moment of its retention.
        time.SetUtcNow(KeyRings.Start + KeyRings.Rotation + KeyRings.Retention - TimeSpan.FromTicks(1));
        Assert.Contains(first, KeyRings.PublishedKeyIds(ring));
        Assert.NotEqual(TokenFailureReason.KeyNotFound, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);

        time.SetUtcNow(KeyRings.Start + KeyRings.Rotation + KeyRings.Retention);
        Assert.DoesNotContain(first, KeyRings.PublishedKeyIds(ring));
        Assert.Equal(TokenFailureReason.KeyNotFound, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
    }

    [Fact]
    public async Task Two_rings_that_each_created_a_key_at_once_converge_on_the_same_signing_key()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time);
        var a = KeyRings.Ring(store, time);
        var b = KeyRings.Ring(store, time);

        // Each reads the store before the other's key is there, so each creates one.
        store.StaleLoads = 1;
        await a.RefreshAsync(TestContext.Current.CancellationToken);
        store.StaleLoads = 1;
        await b.RefreshAsync(TestContext.Current.CancellationToken);
        await a.RefreshAsync(TestContext.Current.CancellationToken);

        var records = await store.LoadAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, records.Count);
        var chosen = records.Select(r => r.KeyId).Order(StringComparer.Ordinal).First();
        Assert.Equal(chosen, a.GetSigningKey().KeyId);
        Assert.Equal(chosen, b.GetSigningKey().KeyId);
        Assert.Equal(KeyRings.PublishedKeyIds(a).Order(StringComparer.Ordinal), KeyRings.PublishedKeyIds(b).Order(StringComparer.Ordinal));

        // Both keys stay published, so a token either ring signed before converging still verifies.
        Assert.Equal(2, KeyRings.PublishedKeyIds(a).Length);
    }

    [Fact]
    public async Task Two_rings_that_both_created_the_next_key_switch_to_the_same_one_when_it_activates()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time);
        var a = KeyRings.Ring(store, time);
        var b = KeyRings.Ring(store, time);
        var first = a.GetSigningKey().KeyId;
        await b.RefreshAsync(TestContext.Current.CancellationToken);
        Assert.Equal(first, b.GetSigningKey().KeyId);

        // Two leads before the first key retires, both create its successor without seeing the other's.
        time.SetUtcNow(KeyRings.Start + KeyRings.Rotation - (2 * KeyRings.Lead));
        store.StaleAnswer = await store.LoadAsync(TestContext.Current.CancellationToken);
        store.StaleLoads = 1;
        await a.RefreshAsync(TestContext.Current.CancellationToken);
        store.StaleLoads = 1;
        await b.RefreshAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, (await store.LoadAsync(TestContext.Current.CancellationToken)).Count);

        // Neither signs with its new key early; by the time they activate, both rings have read both.
        Assert.Equal(first, a.GetSigningKey().KeyId);
        Assert.Equal(first, b.GetSigningKey().KeyId);
        time.Advance(KeyRings.Refresh);
        await a.RefreshAsync(TestContext.Current.CancellationToken);
        time.SetUtcNow(KeyRings.Start + KeyRings.Rotation);
        Assert.Equal(a.GetSigningKey().KeyId, b.GetSigningKey().KeyId);
        Assert.NotEqual(first, a.GetSigningKey().KeyId);
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_leaves_the_ring_signing_and_publishing_what_it_read_before()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time);
        var ring = KeyRings.Ring(store, time);
        var key = ring.GetSigningKey();

        store.FailLoads = true;
        time.Advance(KeyRings.Refresh * 3);
        Assert.Same(key, ring.GetSigningKey());
        Assert.Equal([key.KeyId!], KeyRings.PublishedKeyIds(ring));
        var thrown = await Assert.ThrowsAsync<SigningKeyUnavailableException>(() => ring.RefreshAsync(TestContext.Current.CancellationToken));
        Assert.Equal("The signing key store could not be read: store down (test)", thrown.Message);
        Assert.Same(key, ring.GetSigningKey());
    }

    [Fact]
    public void A_failing_store_is_not_read_again_by_every_call_before_the_refresh_interval()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time);
        var ring = KeyRings.Ring(store, time);
        _ = ring.GetSigningKey();
        store.FailLoads = true;
        time.Advance(KeyRings.Refresh);
        var loads = store.Loads;

        for (var i = 0; i < 100; i++)
        {
            _ = ring.GetSigningKey();
            _ = ring.GetPublishedKeys();
        }

        Assert.Equal(loads + 1, store.Loads);
        time.Advance(KeyRings.Refresh);
        _ = ring.GetSigningKey();
        Assert.Equal(loads + 2, store.Loads);
    }

    [Fact]
    public void With_no_key_and_the_store_down_issuing_fails_with_SigningKeyUnavailableException()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time) { FailLoads = true };
        var issuer = KeyRings.Issuer(KeyRings.Ring(store, time), time);

        var thrown = Assert.Throws<SigningKeyUnavailableException>(() => issuer.Issue(new AccessTokenRequest("user-1")));
        Assert.Equal("The signing key store could not be read: store down (test)", thrown.Message);
    }

    [Fact]
    public void With_no_key_and_the_store_down_signing_fails_at_once_without_reading_the_store_until_the_cooldown_has_passed()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time) { FailLoads = true };
        var issuer = KeyRings.Issuer(KeyRings.Ring(store, time), time);
        Assert.Throws<SigningKeyUnavailableException>(() => issuer.Issue(new AccessTokenRequest("user-1")));
        var loads = store.Loads;

        time.Advance(SigningKeyRing.FailedRefreshCooldown - TimeSpan.FromTicks(1));
        for (var i = 0; i < 100; i++)
        {
            var thrown = Assert.Throws<SigningKeyUnavailableException>(() => issuer.Issue(new AccessTokenRequest("user-1")));
            Assert.Equal("The signing key store could not be read: store down (test)", thrown.Message);
        }

        Assert.Equal(1, loads);
        Assert.Equal(loads, store.Loads);

        // Once the cooldown has passed, the next call reads the store again (and signs, the store being back).
        time.Advance(TimeSpan.FromTicks(1));
        store.FailLoads = false;
        Assert.NotEmpty(issuer.Issue(new AccessTokenRequest("user-1")).Token);
        Assert.True(store.Loads > loads);
    }

    [Fact]
    public async Task IssueAsync_waits_for_the_rings_first_read_without_blocking_the_caller()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time) { HoldLoads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var issuer = KeyRings.Issuer(KeyRings.Ring(store, time), time);

        var issuing = issuer.IssueAsync(new AccessTokenRequest("user-1"), TestContext.Current.CancellationToken);
        var alsoIssuing = issuer.IssueAsync(new AccessTokenRequest("user-2"), TestContext.Current.CancellationToken);

        Assert.False(issuing.IsCompleted);
        Assert.Equal(1, store.Loads); // both wait for the one read
        store.HoldLoads.SetResult();
        var token = await issuing;
        Assert.Equal(TokenFailureReason.None, (await KeyRings.Validator(KeyRings.Ring(store, time), time).ValidateAsync(token.Token, TestContext.Current.CancellationToken)).Failure);
        Assert.NotEmpty((await alsoIssuing).Token);
    }

    [Fact]
    public async Task IssueAsync_with_no_key_fails_at_once_without_reading_the_store_until_the_cooldown_has_passed()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time) { FailLoads = true };
        var issuer = KeyRings.Issuer(KeyRings.Ring(store, time), time);
        await Assert.ThrowsAsync<SigningKeyUnavailableException>(async () => await issuer.IssueAsync(new AccessTokenRequest("user-1"), TestContext.Current.CancellationToken));
        var loads = store.Loads;

        for (var i = 0; i < 100; i++)
        {
            await Assert.ThrowsAsync<SigningKeyUnavailableException>(async () => await issuer.IssueAsync(new AccessTokenRequest("user-1"), TestContext.Current.CancellationToken));
        }

        Assert.Equal(loads, store.Loads);
        time.Advance(SigningKeyRing.FailedRefreshCooldown);
        store.FailLoads = false;
        Assert.NotEmpty((await issuer.IssueAsync(new AccessTokenRequest("user-1"), TestContext.Current.CancellationToken)).Token);
    }

    [Fact]
    public void With_no_key_and_a_key_that_cannot_be_stored_signing_fails_at_once_until_the_cooldown_has_passed()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time) { FailAdds = true };
        var ring = KeyRings.Ring(store, time);
        Assert.Throws<SigningKeyUnavailableException>(() => ring.GetSigningKey());
        var loads = store.Loads;

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal("The signing key store could not store a new key: store down (test)", Assert.Throws<SigningKeyUnavailableException>(() => ring.GetSigningKey()).Message);
        }

        Assert.Equal(loads, store.Loads);
        time.Advance(SigningKeyRing.FailedRefreshCooldown);
        store.FailAdds = false;
        Assert.NotNull(ring.GetSigningKey().KeyId);
    }

    [Fact]
    public void A_key_that_cannot_be_stored_is_not_used_and_the_failure_says_why()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time) { FailAdds = true };
        var ring = KeyRings.Ring(store, time);

        var thrown = Assert.Throws<SigningKeyUnavailableException>(() => ring.GetSigningKey());
        Assert.Equal("The signing key store could not store a new key: store down (test)", thrown.Message);
        Assert.Empty(ring.GetPublishedKeys());
    }

    [Fact]
    public async Task A_record_whose_private_key_is_not_its_kid_is_neither_published_nor_used()
    {
        var time = KeyRings.Clock();
        var store = new InMemorySigningKeyStore(time);
        var genuine = SigningKeyRecord.Generate(JwsAlgorithms.ES256, KeyRings.Start, KeyRings.Start, KeyRings.Start + KeyRings.Rotation, KeyRings.Start + KeyRings.Rotation + KeyRings.Retention);
        var other = SigningKeyRecord.Generate(JwsAlgorithms.ES256, KeyRings.Start, KeyRings.Start, KeyRings.Start + KeyRings.Rotation, KeyRings.Start + KeyRings.Rotation + KeyRings.Retention);
        var forged = new SigningKeyRecord(genuine.KeyId, genuine.Algorithm, genuine.CreatedAt, genuine.ActivatesAt, genuine.RetiresAt, genuine.ExpiresAt, other.PrivateKey);
        await store.AddAsync(forged, TestContext.Current.CancellationToken);
        var ring = KeyRings.Ring(store, time);

        var key = ring.GetSigningKey();

        Assert.NotEqual(genuine.KeyId, key.KeyId);
        Assert.Equal([key.KeyId!], KeyRings.PublishedKeyIds(ring));
    }

    [Theory]
    [InlineData(JwsAlgorithms.RS256)]
    [InlineData(JwsAlgorithms.PS384)]
    [InlineData(JwsAlgorithms.ES384)]
    [InlineData(JwsAlgorithms.ES512)]
    [InlineData(JwsAlgorithms.HS256)]
    public async Task Every_algorithm_signs_tokens_its_ring_verifies(string algorithm)
    {
        var time = KeyRings.Clock();
        var ring = KeyRings.Ring(new InMemorySigningKeyStore(time), time, KeyRings.Options(algorithm));

        var token = KeyRings.Issuer(ring, time).Issue(new AccessTokenRequest("user-1")).Token;

        Assert.Equal(algorithm, ring.GetSigningKey().Algorithm);
        Assert.Equal(TokenFailureReason.None, (await KeyRings.Validator(ring, time).ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
    }

    [Fact]
    public void An_HMAC_ring_gets_a_random_kid_and_its_secrets_are_never_written_to_a_JWKS()
    {
        var time = KeyRings.Clock();
        var ring = KeyRings.Ring(new InMemorySigningKeyStore(time), time, KeyRings.Options(JwsAlgorithms.HS256));

        var key = ring.GetSigningKey();

        Assert.Matches("^[0-9a-f]{32}$", key.KeyId);
        Assert.Throws<ArgumentException>(() => Jwks.Write(ring.GetPublishedKeys()));
    }

    [Fact]
    public void The_published_JWKS_holds_public_members_only_and_the_next_key_before_it_signs()
    {
        var time = KeyRings.Clock();
        var ring = KeyRings.Ring(new InMemorySigningKeyStore(time), time);
        var first = ring.GetSigningKey().KeyId;
        time.SetUtcNow(KeyRings.Start + KeyRings.Rotation - (2 * KeyRings.Lead));

        Assert.Equal(first, ring.GetSigningKey().KeyId);
        var jwks = Jwks.Write(ring.GetPublishedKeys());

        using var document = System.Text.Json.JsonDocument.Parse(jwks);
        var keys = document.RootElement.GetProperty("keys").EnumerateArray().ToArray();
        Assert.Equal(2, keys.Length);
        Assert.Equal(first, keys[1].GetProperty("kid").GetString());
        Assert.NotEqual(first, keys[0].GetProperty("kid").GetString());
        Assert.All(keys, k => Assert.False(k.TryGetProperty("d", out _)));
        Assert.Equal(2, Jwks.Parse(jwks).Count);
    }
}
