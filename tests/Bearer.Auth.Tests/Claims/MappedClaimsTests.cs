using System.Security.Claims;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Claims;

/// <summary>
/// The claims the default mapping keeps for a <see cref="ValidatedToken"/> the repeat-token cache shares (one instance
/// per token, handed to every request): the identity built from them is the one the payload gives, claim for claim,
/// and each request still gets its own identity and claims.
/// </summary>
public sealed class MappedClaimsTests
{
    private const string RolePaths = "role paths";
    private const string CustomTypes = "custom types";

    public static TheoryData<string, string> Payloads { get; } = new()
    {
        { "", "" },
        { "\"name\":\"Alice\",\"role\":[\"admin\",\"user\"],\"roles\":\"ops\"", "" },
        { "\"ids\":[1,2.5,true,false,null,\"x\",[3],{\"a\":1}],\"matrix\":[[1],[2]]", "" },
        { "\"realm_access\":{\"roles\":[\"admin\",\"offline_access\"]},\"resource_access\":{\"api\":{\"roles\":[\"writer\"]},\"web\":{\"roles\":[\"no\"]}},\"groups\":[\"g1\",\"g2\"]", RolePaths },
        { "\"scope\":\"read write  admin\",\"scp\":[\"x\",\"y z\"]", "" },
        { "\"scope\":\"\",\"scp\":[]", "" },
        { "\"age\":42,\"ratio\":0.5,\"big\":123456789012345678901234567890,\"neg\":-1e3,\"admin\":true,\"guest\":false,\"nothing\":null", "" },
        { "\"na\\u006de\":\"Escaped\",\"em\\u0061il\":\"a@x.test\",\"\\u00e9t\\u00e9\":\"\\u00e9\\\"q\\\\\"", "" },
        { "\"name\":null", "" },
        { "\"name\":[]", "" },
        { "\"name\":[null]", "" },
        { "\"name\":[null,\"alice\"]", "" },
        { "\"name\":{\"first\":\"A\"}", "" },
        { "\"name\":\"\"", "" },
        { "\"preferred_username\":\"alice@x.test\",\"role\":\"admin\",\"groups\":[\"ops\"],\"name\":\"Alice\"", CustomTypes },
        { "\"email\":\"a@x.test\"", CustomTypes },
        { string.Join(',', Enumerable.Range(0, 40).Select(i => $"\"c{i}\":\"v{i}\"")), "" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task Kept_claims_give_the_identity_the_payload_gives(string extraPayload, string settings)
    {
        var (mapper, validate) = Setup(settings);
        var token = await validate(extraPayload);
        var fromFreshToken = mapper.CreateIdentity(await validate(extraPayload), "Bearer");

        var first = mapper.CreateIdentity(token, "Bearer");
        var second = mapper.CreateIdentity(token, "Bearer");
        Assert.NotNull(mapper.KeptFor(token));
        var third = mapper.CreateIdentity(token, "Bearer");
        var otherScheme = mapper.CreateIdentity(token, "Other");

        AssertSame(fromFreshToken, first);
        AssertSame(first, second);
        AssertSame(first, third);
        Assert.Equal("Other", otherScheme.AuthenticationType);
        Assert.Equal(Describe(first), Describe(otherScheme));
    }

    [Fact]
    public async Task A_token_the_cache_does_not_share_keeps_nothing()
    {
        var (mapper, validate) = Setup("");
        var shared = await validate("\"name\":\"Alice\"");
        var seenOnce = await ValidateUnsharedAsync("\"name\":\"Alice\"");

        mapper.CreateIdentity(seenOnce, "Bearer");
        mapper.CreateIdentity(seenOnce, "Bearer");
        mapper.CreateIdentity(shared, "Bearer");

        Assert.Null(mapper.KeptFor(seenOnce));
        Assert.NotNull(mapper.KeptFor(shared));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1500)]
    public async Task The_payload_reads_the_same_into_a_buffer_as_decoded_and_kept(int valueLength)
    {
        var (mapper, validate) = Setup("");
        var extraPayload = $"\"name\":\"Al\\u00efce\",\"long\":\"{new string('x', valueLength)}\"";
        var token = await validate(extraPayload);
        var decodedFirst = await validate(extraPayload);

        var read = token.ReadPayload(new byte[token.PayloadLength]).ToArray();
        var fromBuffer = mapper.CreateIdentity(token, "Bearer");
        var payload = decodedFirst.Payload.ToArray();
        var fromKeptPayload = mapper.CreateIdentity(decodedFirst, "Bearer");

        Assert.Equal(payload, read);
        Assert.Equal(payload.Length, decodedFirst.PayloadLength);
        Assert.Equal(payload, decodedFirst.ReadPayload([]).ToArray());
        AssertSame(fromKeptPayload, fromBuffer);
        Assert.Equal("Al\u00efce", fromBuffer.Name);
    }

    [Fact]
    public async Task Identities_from_kept_claims_are_independent()
    {
        var (mapper, validate) = Setup("");
        var token = await validate("\"name\":\"Alice\",\"role\":[\"admin\",\"user\"]");
        var reference = mapper.CreateIdentity(token, "Bearer");
        mapper.CreateIdentity(token, "Bearer");

        var mutated = mapper.CreateIdentity(token, "Bearer");
        mutated.AddClaim(new Claim("added", "1"));
        mutated.RemoveClaim(mutated.FindFirst("name"));
        mutated.FindFirst("role")!.Properties["touched"] = "yes";
        var next = mapper.CreateIdentity(token, "Bearer");

        AssertSame(reference, next);
        Assert.DoesNotContain(next.Claims, c => mutated.Claims.Contains(c));
    }

    [Fact]
    public async Task Another_mapper_never_uses_the_claims_a_mapper_kept()
    {
        var (mapper, validate) = Setup("");
        var (other, _) = Setup(RolePaths + CustomTypes);
        var (sameSettings, _) = Setup("");
        const string Payload = "\"name\":\"Alice\",\"preferred_username\":\"alice@x.test\",\"realm_access\":{\"roles\":[\"admin\"]},\"groups\":[\"ops\"]";
        var token = await validate(Payload);
        mapper.CreateIdentity(token, "Bearer");
        var kept = mapper.CreateIdentity(token, "Bearer");

        var byOther = other.CreateIdentity(token, "Bearer");
        var bySameSettings = sameSettings.CreateIdentity(token, "Bearer");

        AssertSame(other.CreateIdentity(await validate(Payload), "Bearer"), byOther);
        Assert.NotEqual(Describe(kept), Describe(byOther));
        Assert.Equal("alice@x.test", byOther.Name);
        AssertSame(kept, bySameSettings);
        Assert.NotEqual(Describe(mapper.KeptFor(token)!.CreateIdentity("Bearer", "role")), Describe(other.KeptFor(token)!.CreateIdentity("Bearer", "groups")));
        AssertSame(kept, mapper.CreateIdentity(token, "Bearer"));
    }

    [Theory]
    [InlineData(MappedClaims.MaxClaims + 1, 1)]
    [InlineData(1, MappedClaims.MaxValueLength + 1)]
    public async Task Tokens_over_the_limits_are_mapped_from_the_payload_every_time(int extraClaims, int valueLength)
    {
        var (mapper, validate) = Setup("");
        var value = new string('v', valueLength);
        var token = await validate(string.Join(',', Enumerable.Range(0, extraClaims).Select(i => $"\"c{i}\":\"{value}\"")));

        var first = mapper.CreateIdentity(token, "Bearer");
        var second = mapper.CreateIdentity(token, "Bearer");
        var third = mapper.CreateIdentity(token, "Bearer");

        Assert.Null(mapper.KeptFor(token));
        AssertSame(first, second);
        AssertSame(first, third);
    }

    [Fact]
    public async Task Concurrent_mappings_of_one_token_all_get_the_same_identity()
    {
        var (mapper, validate) = Setup(RolePaths);
        const string Payload = "\"name\":\"Alice\",\"role\":[\"admin\",\"user\"],\"scope\":\"a b c\",\"realm_access\":{\"roles\":[\"x\"]},\"n\":1.5";
        var expected = Describe(mapper.CreateIdentity(await validate(Payload), "Bearer"));
        const int Threads = 4;
        for (var round = 0; round < 50; round++)
        {
            // A fresh token each round, so the keeping races as well as the reads.
            var token = await validate(Payload);
            using var start = new Barrier(Threads);
            var results = await Task.WhenAll(Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait(TestContext.Current.CancellationToken);
                    var identities = new List<ClaimsIdentity>();
                    for (var i = 0; i < 20; i++)
                    {
                        identities.Add(mapper.CreateIdentity(token, "Bearer"));
                    }

                    return identities;
                },
                TestContext.Current.CancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)));

            Assert.All(results.SelectMany(r => r), identity =>
            {
                Assert.Equal(expected, Describe(identity));
                Assert.Equal("Alice", identity.Name);
                Assert.All(identity.Claims, c => Assert.Same(identity, c.Subject));
            });
            Assert.NotNull(mapper.KeptFor(token));
        }
    }

    private static (JwtClaimsMapper Mapper, Func<string, Task<ValidatedToken>> Validate) Setup(string settings)
    {
        // Cache off: every validation yields a new ValidatedToken, shared as the cache would share it, so each test
        // decides which instance is mapped again.
        var options = new BearerJwtOptions { ValidIssuer = TestJwt.Issuer, ValidAudience = TestJwt.Audience, RepeatTokenCacheSize = 0 };
        options.VerificationKeys.Add(VerificationKey.Symmetric(PipelineHost.Key));
        if (settings.Contains(RolePaths, StringComparison.Ordinal))
        {
            options.RoleClaimPaths.Add("realm_access.roles");
            options.RoleClaimPaths.Add("resource_access.api.roles");
            options.RoleClaimPaths.Add("groups");
        }

        if (settings.Contains(CustomTypes, StringComparison.Ordinal))
        {
            options.NameClaimType = "preferred_username";
            options.RoleClaimType = "groups";
        }

        var validator = TestValidators.From(options, new FakeTimeProvider(PipelineHost.Now));
        var mapper = new JwtClaimsMapper(options.NameClaimType, options.RoleClaimType, options.RoleClaimPaths);
        return (mapper, async extraPayload =>
        {
            var token = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, extraPayload.Length == 0 ? null : extraPayload));
            var result = await validator.ValidateAsync(token, TestContext.Current.CancellationToken);
            Assert.Equal(TokenFailureReason.None, result.Failure);
            return result.Token!.Share();
        });
    }

    /// <summary>A token validated once, as a validator without the cache (or the cache before admission) hands it out.</summary>
    private static async Task<ValidatedToken> ValidateUnsharedAsync(string extraPayload)
    {
        var options = new BearerJwtOptions { ValidIssuer = TestJwt.Issuer, ValidAudience = TestJwt.Audience, RepeatTokenCacheSize = 0 };
        options.VerificationKeys.Add(VerificationKey.Symmetric(PipelineHost.Key));
        var validator = TestValidators.From(options, new FakeTimeProvider(PipelineHost.Now));
        var result = await validator.ValidateAsync(TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, extraPayload)), TestContext.Current.CancellationToken);
        Assert.False(result.Token!.IsShared);
        return result.Token;
    }

    private static (string Type, string Value, string ValueType, string Issuer, string OriginalIssuer, int Properties)[] Describe(ClaimsIdentity identity) =>
        [.. identity.Claims.Select(c => (c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer, c.Properties.Count))];

    private static void AssertSame(ClaimsIdentity expected, ClaimsIdentity actual)
    {
        Assert.Equal(expected.AuthenticationType, actual.AuthenticationType);
        Assert.Equal(expected.NameClaimType, actual.NameClaimType);
        Assert.Equal(expected.RoleClaimType, actual.RoleClaimType);
        Assert.Equal(expected.Name, actual.Name);
        Assert.True(actual.IsAuthenticated);
        Assert.Equal(Describe(expected), Describe(actual));
        Assert.All(actual.Claims, c => Assert.Same(actual, c.Subject));
        Assert.DoesNotContain(actual.Claims, c => expected.Claims.Contains(c));
    }
}
