using System.Collections;
using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// A token without <c>kid</c> is tried against at most <see cref="JwsVerifier.MaxCandidatesWithoutKeyId"/> keys:
/// against a large key set it fails with <c>key_not_found</c> after no signature check at all, so a forged kid-less
/// token costs a small constant amount of work. Work is counted as candidates read, each one signature check.
/// </summary>
public sealed class KidlessCandidateBoundTests
{
    private const int LargeSetSize = 6_000;

    [Fact]
    public async Task Kidless_token_against_a_6000_key_set_fails_key_not_found_without_a_single_signature_check()
    {
        var secrets = Secrets(LargeSetSize);
        var resolver = new CountingResolver(Keys(secrets, withKeyIds: false));
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);

        // Signed by the last key: without the bound it would verify after 6,000 checks.
        var token = TestJwt.Hs(secrets[^1], fixture.ValidPayload());

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(token));
        Assert.Equal(0, resolver.CandidatesRead);

        var forged = TestJwt.Hs(RandomNumberGenerator.GetBytes(32), fixture.ValidPayload());
        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(forged));
        Assert.Equal(0, resolver.CandidatesRead);
    }

    [Fact]
    public async Task Token_with_a_kid_against_the_same_6000_key_set_costs_one_signature_check()
    {
        var secrets = Secrets(LargeSetSize);
        var keys = Keys(secrets, withKeyIds: true);
        var resolver = new CountingResolver(keys);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);

        var token = TestJwt.Hs(secrets[^1], fixture.ValidPayload(), headerJson: $$"""{"alg":"HS256","typ":"JWT","kid":"k{{LargeSetSize - 1}}"}""");

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
        Assert.Equal(1, resolver.CandidatesRead);
    }

    [Fact]
    public async Task Kidless_token_is_tried_against_every_candidate_up_to_the_bound()
    {
        var secrets = Secrets(JwsVerifier.MaxCandidatesWithoutKeyId);
        var resolver = new CountingResolver(Keys(secrets, withKeyIds: false));
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(secrets[^1], fixture.ValidPayload())));
        Assert.Equal(JwsVerifier.MaxCandidatesWithoutKeyId, resolver.CandidatesRead);

        resolver.CandidatesRead = 0;
        var forged = TestJwt.Hs(RandomNumberGenerator.GetBytes(32), fixture.ValidPayload());
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(forged));
        Assert.Equal(JwsVerifier.MaxCandidatesWithoutKeyId, resolver.CandidatesRead);
    }

    [Fact]
    public async Task Kidless_token_with_one_candidate_more_than_the_bound_fails_key_not_found_even_when_a_key_would_verify()
    {
        var secrets = Secrets(JwsVerifier.MaxCandidatesWithoutKeyId + 1);
        var resolver = new CountingResolver(Keys(secrets, withKeyIds: false));
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(TestJwt.Hs(secrets[0], fixture.ValidPayload())));
        Assert.Equal(0, resolver.CandidatesRead);
    }

    private static byte[][] Secrets(int count)
    {
        var secrets = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            secrets[i] = RandomNumberGenerator.GetBytes(32);
        }

        return secrets;
    }

    private static VerificationKey[] Keys(byte[][] secrets, bool withKeyIds)
    {
        var keys = new VerificationKey[secrets.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = VerificationKey.Symmetric(secrets[i], JwsAlgorithms.HS256, keyId: withKeyIds ? $"k{i}" : null);
        }

        return keys;
    }

    /// <summary>Answers like a key index (every key for a kid-less token, the kid's key otherwise) and counts the candidates read.</summary>
    private sealed class CountingResolver(VerificationKey[] keys) : IKeyResolver
    {
        internal int CandidatesRead { get; set; }

        public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
        {
            if (header.KeyId is null)
            {
                return ValueTask.FromResult(KeyResolution.Found(new CountingList(this, keys)));
            }

            var match = Array.Find(keys, k => k.KeyId == header.KeyId);
            return ValueTask.FromResult(match is null ? KeyResolution.NotFound : KeyResolution.Found(new CountingList(this, [match])));
        }

        public bool HasKeysBoundTo(string issuer) => false;

        private sealed class CountingList(CountingResolver owner, VerificationKey[] items) : IReadOnlyList<VerificationKey>
        {
            public int Count => items.Length;

            public VerificationKey this[int index]
            {
                get
                {
                    owner.CandidatesRead++;
                    return items[index];
                }
            }

            public IEnumerator<VerificationKey> GetEnumerator()
            {
                foreach (var item in items)
                {
                    owner.CandidatesRead++;
                    yield return item;
                }
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
