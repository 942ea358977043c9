using System.Net;
using System.Security.Claims;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bearer.Auth.Tests.Claims;

/// <summary>
/// Role checks (<c>RequireRole</c> and <c>[Authorize(Roles = "admin")]</c>) work for every shape of roles a token
/// can carry, and the claims mapper can be replaced.
/// </summary>
public sealed class RoleAuthorizationTests
{
    /// <summary>Payload members, then the <c>RoleClaimPaths</c> and <c>RoleClaimType</c> to configure (empty: default).</summary>
    public static TheoryData<string, string, string> AdminShapes { get; } = new()
    {
        { "\"role\":\"admin\"", "", "" },
        { "\"role\":[\"user\",\"admin\"]", "", "" },
        { "\"roles\":\"admin\"", "", "" },
        { "\"roles\":[\"user\",\"admin\"]", "", "" },
        { "\"realm_access\":{\"roles\":[\"admin\"]}", "realm_access.roles", "" },
        { "\"resource_access\":{\"api\":{\"roles\":[\"admin\"]}}", "resource_access.api.roles", "" },
        { "\"groups\":[\"admin\"]", "groups", "" },
        { "\"https://example.com/roles\":[\"admin\"]", "https://example.com/roles", "" },
        { "\"groups\":[\"admin\"]", "", "groups" },
        { "\"role\":\"admin\"", "", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role" },
        { "\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\":\"admin\"", "", "" },
        { "\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\":[\"user\",\"admin\"]", "", "" },
    };

    [Theory]
    [MemberData(nameof(AdminShapes))]
    public async Task Admin_role_is_recognised_by_RequireRole_and_Authorize_Roles(string payload, string rolePath, string roleClaimType)
    {
        await using var host = await StartAsync(rolePath, roleClaimType);
        var admin = PipelineHost.Token(payload);

        var policy = await host.GetAsync("/admin", admin);
        var attribute = await host.GetAsync("/admin-attribute", admin);

        Assert.Equal(HttpStatusCode.OK, policy.Status);
        Assert.Equal("admin", policy.Body);
        Assert.Equal(HttpStatusCode.OK, attribute.Status);
    }

    [Theory]
    [MemberData(nameof(AdminShapes))]
    public async Task Same_shape_without_admin_is_forbidden(string payload, string rolePath, string roleClaimType)
    {
        await using var host = await StartAsync(rolePath, roleClaimType);
        var user = PipelineHost.Token(payload.Replace("admin", "user", StringComparison.Ordinal));

        var policy = await host.GetAsync("/admin", user);
        var attribute = await host.GetAsync("/admin-attribute", user);

        Assert.Equal(HttpStatusCode.Forbidden, policy.Status);
        Assert.Equal("Bearer error=\"insufficient_scope\"", policy.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.Forbidden, attribute.Status);
    }

    [Fact]
    public async Task Microsoft_role_uri_stays_a_role_when_the_repeat_token_cache_serves_the_token()
    {
        // The default cache admits a token on its second validation; later requests map the claims it kept.
        await using var host = await PipelineHost.StartAsync();
        var admin = PipelineHost.Token("\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\":[\"admin\"]");

        for (var i = 0; i < 4; i++)
        {
            var attribute = await host.GetAsync("/admin-attribute", admin);
            var whoami = await host.GetAsync("/whoami", admin);

            Assert.Equal(HttpStatusCode.OK, attribute.Status);
            Assert.Equal(["admin"], whoami.ValuesOf("role"));
            Assert.Empty(whoami.ValuesOf(ClaimTypes.Role));
        }
    }

    [Fact]
    public async Task Role_values_are_case_sensitive_and_never_split()
    {
        await using var host = await PipelineHost.StartAsync();

        var upper = await host.GetAsync("/admin", PipelineHost.Token("\"role\":\"Admin\""));
        var spaced = await host.GetAsync("/admin", PipelineHost.Token("\"role\":\"user admin\""));
        var jsonText = await host.GetAsync("/admin", PipelineHost.Token("\"role\":\"[\\\"admin\\\"]\""));

        Assert.Equal(HttpStatusCode.Forbidden, upper.Status);
        Assert.Equal(HttpStatusCode.Forbidden, spaced.Status);
        Assert.Equal(HttpStatusCode.Forbidden, jsonText.Status);
    }

    [Fact]
    public async Task Whoami_shows_unrewritten_claims_and_the_configured_types()
    {
        await using var host = await PipelineHost.StartAsync();

        var response = await host.GetAsync("/whoami", PipelineHost.Token("\"name\":\"Alice\",\"roles\":[\"a\",\"b\"],\"scp\":\"x y\""));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Alice", response.Json.GetProperty("name").GetString());
        Assert.Equal("name", response.Json.GetProperty("nameClaimType").GetString());
        Assert.Equal("role", response.Json.GetProperty("roleClaimType").GetString());
        Assert.Equal("Bearer", response.Json.GetProperty("authenticationType").GetString());
        Assert.Equal(["a", "b"], response.ValuesOf("role"));
        Assert.Equal(["x", "y"], response.ValuesOf("scope"));
        Assert.Equal(["user-1"], response.ValuesOf("sub"));
        Assert.DoesNotContain(response.Claims, c => c.Type.StartsWith("http://", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_IClaimsMapper_registered_in_DI_replaces_the_default()
    {
        await using var host = await PipelineHost.StartAsync(
            PipelineHost.UseDefaults,
            s => s.AddSingleton<IClaimsMapper, SubjectOnlyMapper>());

        var whoami = await host.GetAsync("/whoami", PipelineHost.Token("\"role\":\"admin\""));
        var admin = await host.GetAsync("/admin", PipelineHost.Token("\"role\":\"admin\""));

        Assert.Equal(HttpStatusCode.OK, whoami.Status);
        Assert.Equal([("mapped-sub", "user-1", ClaimValueTypes.String)], whoami.Claims);
        Assert.Equal("user-1", whoami.Json.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, admin.Status);
    }

    [Fact]
    public async Task ClaimsMapper_set_in_code_wins_over_DI()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(
            o => o.ClaimsMapper = new SubjectOnlyMapper("from-code"),
            s => s.AddSingleton<IClaimsMapper, SubjectOnlyMapper>());

        var whoami = await host.GetAsync("/whoami", PipelineHost.Token());

        Assert.Equal(["user-1"], whoami.ValuesOf("from-code"));
        Assert.Empty(whoami.ValuesOf("mapped-sub"));
    }

    private static Task<PipelineHost> StartAsync(string rolePath, string roleClaimType) => PipelineHost.StartWithDefaultsAsync(o =>
    {
        if (rolePath.Length > 0)
        {
            o.RoleClaimPaths.Add(rolePath);
        }

        if (roleClaimType.Length > 0)
        {
            o.RoleClaimType = roleClaimType;
        }
    });

    /// <summary>A mapper that keeps only the subject, under its own claim type.</summary>
    private sealed class SubjectOnlyMapper(string claimType) : IClaimsMapper
    {
        public SubjectOnlyMapper()
            : this("mapped-sub")
        {
        }

        public ClaimsIdentity CreateIdentity(ValidatedToken token, string authenticationType) =>
            new([new Claim(claimType, token.Subject!)], authenticationType, claimType, "role");
    }
}
