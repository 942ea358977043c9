using System.Security.Claims;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Claims;

/// <summary>
/// JWT claim names are case-sensitive (RFC 7519 §4), and so are the mapped identity's lookups by type: a token's
/// <c>Role</c> claim is not a role, <c>NAME</c> is not the name, <c>Sub</c> is not <c>sub</c>. ClaimsIdentity itself
/// compares types ignoring case; found by fuzzing (fuzz/README.md, run 3), where <c>FindFirst("sub")</c> returned a
/// <c>Sub</c> claim. Each case runs on a fresh token and on the claims the repeat-token cache keeps.
/// </summary>
public sealed class ClaimTypeCaseTests
{
    [Fact]
    public async Task A_claim_whose_name_differs_from_role_only_in_case_is_not_a_role()
    {
        foreach (var principal in await PrincipalsAsync("\"Role\":\"admin\",\"ROLES\":[\"root\"],\"role\":\"user\""))
        {
            Assert.False(principal.IsInRole("admin"));
            Assert.False(principal.IsInRole("root"));
            Assert.True(principal.IsInRole("user"));
            Assert.Equal("admin", principal.Claims.Single(c => c.Type == "Role").Value);
        }
    }

    [Fact]
    public async Task A_claim_whose_name_differs_from_name_only_in_case_is_not_the_name()
    {
        foreach (var principal in await PrincipalsAsync("\"NAME\":\"mallory\",\"name\":\"alice\""))
        {
            Assert.Equal("alice", principal.Identity!.Name);
        }

        foreach (var principal in await PrincipalsAsync("\"Name\":\"mallory\""))
        {
            // No name claim: the name falls back to sub, exactly.
            Assert.Equal("user-1", principal.Identity!.Name);
        }
    }

    [Fact]
    public async Task Lookups_by_type_are_exact_and_survive_a_clone()
    {
        foreach (var principal in await PrincipalsAsync("\"Sub\":\"other\",\"SUB\":\"third\""))
        {
            var identity = (ClaimsIdentity)principal.Identity!;
            foreach (var lookedUp in new[] { identity, identity.Clone(), principal.Clone().Identities.Single() })
            {
                Assert.Equal("user-1", lookedUp.FindFirst("sub")!.Value);
                Assert.Equal("user-1", Assert.Single(lookedUp.FindAll("sub")).Value);
                Assert.True(lookedUp.HasClaim("sub", "user-1"));
                Assert.False(lookedUp.HasClaim("sub", "other"));
                Assert.False(lookedUp.HasClaim("sub", "USER-1"));
                Assert.Equal("other", lookedUp.FindFirst("Sub")!.Value);
                Assert.Null(lookedUp.FindFirst("sUb"));
            }

            Assert.Equal("user-1", principal.FindFirst("sub")!.Value);
        }
    }

    [Fact]
    public async Task A_role_check_allocates_nothing()
    {
        var principal = (await PrincipalsAsync("\"role\":[\"a\",\"b\",\"c\"]"))[0];
        _ = principal.IsInRole("c");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = principal.IsInRole("c") && !principal.IsInRole("d") && principal.HasClaim("role", "a");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(found);
        Assert.Equal(0, allocated);
    }

    /// <summary>The principal of a fresh token, and of the same token as the cache shares it (mapped twice: kept claims).</summary>
    private static async Task<ClaimsPrincipal[]> PrincipalsAsync(string extraPayload)
    {
        var options = new BearerJwtOptions { ValidIssuer = TestJwt.Issuer, ValidAudience = TestJwt.Audience };
        options.VerificationKeys.Add(VerificationKey.Symmetric(PipelineHost.Key));
        var validator = TestValidators.From(options, new FakeTimeProvider(PipelineHost.Now));
        var mapper = new JwtClaimsMapper();
        var token = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, extraPayload));
        var fresh = (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Token!;
        var shared = (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Token!;
        Assert.True(shared.IsShared);

        var principals = new[]
        {
            new ClaimsPrincipal(mapper.CreateIdentity(fresh, "Bearer")),
            new ClaimsPrincipal(mapper.CreateIdentity(shared, "Bearer")),
            new ClaimsPrincipal(mapper.CreateIdentity(shared, "Bearer")),
        };
        Assert.NotNull(mapper.KeptFor(shared));
        return principals;
    }
}
