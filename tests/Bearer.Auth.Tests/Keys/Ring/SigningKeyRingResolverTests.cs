using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Keys.Ring;

/// <summary>The ring's key resolver: bound to its issuer, answering from memory, re-reading the store for an unknown kid at most once per cooldown.</summary>
public sealed class SigningKeyRingResolverTests
{
    [Fact]
    public async Task A_key_another_instance_just_created_verifies_through_one_store_read_for_its_unknown_kid()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time);
        var ring = KeyRings.Ring(store, time);
        var validator = KeyRings.Validator(ring, time);
        _ = ring.GetSigningKey();

        // Half a refresh interval later, another instance adds a key that signs at once (newer, so it is chosen) and
        // signs with it; this ring has not re-read the store since.
        time.Advance(KeyRings.Refresh / 2);
        var now = time.GetUtcNow();
        var other = KeyRings.Ring(store, time);
        var otherRecord = SigningKeyRecord.Generate(JwsAlgorithms.ES256, now, now, now + KeyRings.Rotation, now + KeyRings.Rotation + KeyRings.Retention);
        await store.AddAsync(otherRecord, TestContext.Current.CancellationToken);
        var token = KeyRings.Issuer(other, time).Issue(new AccessTokenRequest("user-1")).Token;
        Assert.Equal(otherRecord.KeyId, KeyRings.KeyIdOf(token));
        var loads = store.Loads;

        Assert.Equal(TokenFailureReason.None, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
        Assert.Equal(loads + 1, store.Loads);

        // Known now: the next validation reads nothing.
        Assert.Equal(TokenFailureReason.None, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
        Assert.Equal(loads + 1, store.Loads);
    }

    [Fact]
    public async Task A_flood_of_made_up_kids_reads_the_store_once_per_cooldown()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time);
        var ring = KeyRings.Ring(store, time);
        var resolver = ring.CreateKeyResolver(TestJwt.Issuer);
        _ = ring.GetSigningKey();
        var loads = store.Loads;

        for (var i = 0; i < 100; i++)
        {
            var resolution = await resolver.ResolveAsync(Header(JwsAlgorithms.ES256, $"made-up-{i}"), TestJwt.Issuer, TestContext.Current.CancellationToken);
            Assert.Equal(TokenFailureReason.KeyNotFound, resolution.Failure);
        }

        Assert.Equal(loads + 1, store.Loads);
        time.Advance(SigningKeyRing.UnknownKeyRefreshCooldown - TimeSpan.FromTicks(1));
        _ = await resolver.ResolveAsync(Header(JwsAlgorithms.ES256, "made-up"), TestJwt.Issuer, TestContext.Current.CancellationToken);
        Assert.Equal(loads + 1, store.Loads);
        time.Advance(TimeSpan.FromTicks(1));
        _ = await resolver.ResolveAsync(Header(JwsAlgorithms.ES256, "made-up"), TestJwt.Issuer, TestContext.Current.CancellationToken);
        Assert.Equal(loads + 2, store.Loads);
    }

    [Fact]
    public async Task A_known_kid_is_resolved_from_memory_without_reading_the_store()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time);
        var ring = KeyRings.Ring(store, time);
        var resolver = ring.CreateKeyResolver(TestJwt.Issuer);
        var key = ring.GetSigningKey();
        var loads = store.Loads;

        for (var i = 0; i < 100; i++)
        {
            var resolution = await resolver.ResolveAsync(Header(JwsAlgorithms.ES256, key.KeyId), TestJwt.Issuer, TestContext.Current.CancellationToken);
            Assert.Equal(key.KeyId, Assert.Single(resolution.Keys).KeyId);
        }

        Assert.Equal(loads, store.Loads);
    }

    [Fact]
    public async Task Ring_keys_verify_their_issuer_only()
    {
        var time = KeyRings.Clock();
        var ring = KeyRings.Ring(new InMemorySigningKeyStore(time), time);
        var resolver = ring.CreateKeyResolver(TestJwt.Issuer);
        var key = ring.GetSigningKey();

        var own = await resolver.ResolveAsync(Header(JwsAlgorithms.ES256, key.KeyId), TestJwt.Issuer, TestContext.Current.CancellationToken);
        var other = await resolver.ResolveAsync(Header(JwsAlgorithms.ES256, key.KeyId), "https://other.test", TestContext.Current.CancellationToken);
        var wrongAlgorithm = await resolver.ResolveAsync(Header(JwsAlgorithms.ES384, key.KeyId), TestJwt.Issuer, TestContext.Current.CancellationToken);

        Assert.Equal(TestJwt.Issuer, Assert.Single(own.Keys).Issuer);
        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, other.Failure);
        Assert.Equal(TokenFailureReason.KeyNotFound, wrongAlgorithm.Failure);
        Assert.True(resolver.HasKeysBoundTo(TestJwt.Issuer));
        Assert.False(resolver.HasKeysBoundTo("https://other.test"));
    }

    [Fact]
    public async Task An_unknown_kid_while_the_store_is_down_is_key_source_unavailable_then_not_found_within_the_cooldown()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time);
        var ring = KeyRings.Ring(store, time);
        var resolver = ring.CreateKeyResolver(TestJwt.Issuer);
        var key = ring.GetSigningKey();
        store.FailLoads = true;

        var unknown = await resolver.ResolveAsync(Header(JwsAlgorithms.ES256, "unknown"), TestJwt.Issuer, TestContext.Current.CancellationToken);
        var again = await resolver.ResolveAsync(Header(JwsAlgorithms.ES256, "unknown"), TestJwt.Issuer, TestContext.Current.CancellationToken);
        var known = await resolver.ResolveAsync(Header(JwsAlgorithms.ES256, key.KeyId), TestJwt.Issuer, TestContext.Current.CancellationToken);

        Assert.Equal(TokenFailureReason.KeySourceUnavailable, unknown.Failure);
        Assert.Equal(TokenFailureReason.KeyNotFound, again.Failure);
        Assert.Equal(key.KeyId, Assert.Single(known.Keys).KeyId);
    }

    private static JwsHeader Header(string algorithm, string? keyId) => new(algorithm, keyId, "at+jwt");
}
