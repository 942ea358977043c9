using System.Security.Claims;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Claims;

/// <summary>The default mapping from a validated token's payload to the identity the application sees.</summary>
public sealed class ClaimsMappingTests
{
    private static async Task<ClaimsIdentity> MapAsync(string? extraPayload, Action<BearerJwtOptions>? configure = null)
    {
        var options = new BearerJwtOptions { ValidIssuer = TestJwt.Issuer, ValidAudience = TestJwt.Audience };
        options.VerificationKeys.Add(VerificationKey.Symmetric(PipelineHost.Key));
        configure?.Invoke(options);
        var validator = TestValidators.From(options, new FakeTimeProvider(PipelineHost.Now));
        var token = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, extraPayload));
        var result = await validator.ValidateAsync(token, TestContext.Current.CancellationToken);
        Assert.Equal(TokenFailureReason.None, result.Failure);
        var mapper = new JwtClaimsMapper(options.NameClaimType, options.RoleClaimType, options.RoleClaimPaths);
        return mapper.CreateIdentity(result.Token!, "Bearer");
    }

    private static string[] ValuesOf(ClaimsIdentity identity, string type) =>
        [.. identity.FindAll(type).Select(c => c.Value)];

    [Fact]
    public async Task Claim_types_keep_the_names_the_token_uses()
    {
        var identity = await MapAsync("\"name\":\"Alice\",\"email\":\"a@x.test\",\"unique_name\":\"alice\",\"nameid\":\"42\",\"given_name\":\"A\",\"http://custom/uri\":\"u\"");

        Assert.Equal(
            ["iss", "aud", "sub", "exp", "iat", "nbf", "name", "email", "unique_name", "nameid", "given_name", "http://custom/uri"],
            identity.Claims.Select(c => c.Type));
        Assert.DoesNotContain(identity.Claims, c => c.Type.StartsWith("http://schemas.", StringComparison.Ordinal));
        Assert.Equal("Bearer", identity.AuthenticationType);
        Assert.True(identity.IsAuthenticated);
    }

    [Fact]
    public async Task Claims_carry_the_token_issuer()
    {
        var identity = await MapAsync("\"email\":\"a@x.test\"");

        Assert.All(identity.Claims, c => Assert.Equal(TestJwt.Issuer, c.Issuer));
    }

    public static TheoryData<string, string[]> RoleShapes { get; } = new()
    {
        { "\"role\":\"admin\"", ["admin"] },
        { "\"role\":[\"admin\",\"user\"]", ["admin", "user"] },
        { "\"roles\":\"admin\"", ["admin"] },
        { "\"roles\":[\"admin\",\"user\"]", ["admin", "user"] },
        { "\"role\":\"admin\",\"roles\":[\"user\"]", ["admin", "user"] },
        { "\"role\":[]", [] },
        { "\"role\":null", [] },
        { "\"role\":\"admin user\"", ["admin user"] },
        { "\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\":\"admin\"", ["admin"] },
        { "\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\":[\"admin\",\"user\"]", ["admin", "user"] },
        { "\"role\":\"admin\",\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\":[\"user\"]", ["admin", "user"] },
    };

    [Theory]
    [MemberData(nameof(RoleShapes))]
    public async Task Role_and_roles_give_one_role_claim_per_value(string payload, string[] roles)
    {
        var identity = await MapAsync(payload);

        Assert.Equal(roles, ValuesOf(identity, "role"));
        Assert.Empty(identity.FindAll("roles"));
        Assert.Empty(identity.FindAll(ClaimTypes.Role));
        Assert.Equal("role", identity.RoleClaimType);
        Assert.All(roles, role => Assert.True(new ClaimsPrincipal(identity).IsInRole(role)));
    }

    public static TheoryData<string, string[]> ScopeShapes { get; } = new()
    {
        { "\"scope\":\"read\"", ["read"] },
        { "\"scope\":\"read write  admin\"", ["read", "write", "admin"] },
        { "\"scope\":[\"read\",\"write\"]", ["read", "write"] },
        { "\"scp\":\"read write\"", ["read", "write"] },
        { "\"scp\":[\"read\",\"write\"]", ["read", "write"] },
        { "\"scope\":\"\"", [] },
        { "\"scope\":[]", [] },
    };

    [Theory]
    [MemberData(nameof(ScopeShapes))]
    public async Task Scope_and_scp_give_one_scope_claim_per_value(string payload, string[] scopes)
    {
        var identity = await MapAsync(payload);

        Assert.Equal(scopes, ValuesOf(identity, "scope"));
        Assert.Empty(identity.FindAll("scp"));
    }

    [Fact]
    public async Task RoleClaimPaths_reads_nested_role_arrays()
    {
        var identity = await MapAsync(
            "\"realm_access\":{\"roles\":[\"admin\",\"offline_access\"]},\"resource_access\":{\"api\":{\"roles\":[\"writer\"]},\"web\":{\"roles\":[\"ignored\"]}}",
            o =>
            {
                o.RoleClaimPaths.Add("realm_access.roles");
                o.RoleClaimPaths.Add("resource_access.api.roles");
            });

        Assert.Equal(["admin", "offline_access", "writer"], ValuesOf(identity, "role"));
        Assert.Equal("{\"roles\":[\"admin\",\"offline_access\"]}", identity.FindFirst("realm_access")!.Value);
        Assert.Equal("JSON", identity.FindFirst("realm_access")!.ValueType);
    }

    [Fact]
    public async Task RoleClaimPaths_that_do_not_match_add_nothing()
    {
        var identity = await MapAsync(
            "\"realm_access\":{\"groups\":[\"admin\"]},\"other\":{\"roles\":[\"admin\"]}",
            o => o.RoleClaimPaths.Add("realm_access.roles"));

        Assert.Empty(identity.FindAll("role"));
    }

    [Fact]
    public async Task Nested_roles_are_not_read_without_RoleClaimPaths()
    {
        var identity = await MapAsync("\"realm_access\":{\"roles\":[\"admin\"]}");

        Assert.Empty(identity.FindAll("role"));
    }

    [Fact]
    public async Task A_single_segment_RoleClaimPath_reads_a_top_level_claim_as_roles()
    {
        var identity = await MapAsync("\"groups\":[\"admin\",\"ops\"]", o => o.RoleClaimPaths.Add("groups"));

        Assert.Equal(["admin", "ops"], ValuesOf(identity, "role"));
        Assert.True(new ClaimsPrincipal(identity).IsInRole("admin"));
    }

    [Fact]
    public async Task A_RoleClaimPath_naming_a_namespaced_top_level_claim_reads_it_as_roles()
    {
        var identity = await MapAsync(
            "\"https://example.com/roles\":[\"admin\",\"ops\"]",
            o => o.RoleClaimPaths.Add("https://example.com/roles"));

        Assert.Equal(["admin", "ops"], ValuesOf(identity, "role"));
        Assert.Empty(identity.FindAll("https://example.com/roles"));
    }

    [Fact]
    public async Task Name_comes_from_name()
    {
        var identity = await MapAsync("\"name\":\"Alice\"");

        Assert.Equal("Alice", identity.Name);
        Assert.Equal("name", identity.NameClaimType);
    }

    [Fact]
    public async Task Name_falls_back_to_sub()
    {
        var identity = await MapAsync(null);

        Assert.Equal("user-1", identity.Name);
        Assert.Equal("sub", identity.NameClaimType);
    }

    [Theory]
    [InlineData("\"name\":null")]
    [InlineData("\"name\":[]")]
    [InlineData("\"name\":[null]")]
    public async Task Name_without_a_value_falls_back_to_sub(string payload)
    {
        var identity = await MapAsync(payload);

        Assert.Equal("user-1", identity.Name);
        Assert.Equal("sub", identity.NameClaimType);
    }

    [Fact]
    public async Task Name_array_with_a_value_after_a_null_keeps_the_name()
    {
        var identity = await MapAsync("\"name\":[null,\"alice\"]");

        Assert.Equal("alice", identity.Name);
        Assert.Equal("name", identity.NameClaimType);
    }

    [Fact]
    public async Task Custom_NameClaimType_and_RoleClaimType_are_used()
    {
        var identity = await MapAsync(
            "\"preferred_username\":\"alice@x.test\",\"role\":\"admin\",\"groups\":[\"ops\"]",
            o =>
            {
                o.NameClaimType = "preferred_username";
                o.RoleClaimType = "groups";
            });

        Assert.Equal("alice@x.test", identity.Name);
        Assert.Equal("groups", identity.RoleClaimType);
        Assert.Equal(["admin", "ops"], ValuesOf(identity, "groups"));
        Assert.Empty(identity.FindAll("role"));
        Assert.True(new ClaimsPrincipal(identity).IsInRole("admin"));
        Assert.True(new ClaimsPrincipal(identity).IsInRole("ops"));
    }

    [Fact]
    public async Task Custom_NameClaimType_missing_from_the_token_falls_back_to_sub()
    {
        var identity = await MapAsync("\"name\":\"Alice\"", o => o.NameClaimType = "preferred_username");

        Assert.Equal("user-1", identity.Name);
    }

    [Fact]
    public async Task Values_keep_sensible_value_types()
    {
        var identity = await MapAsync(
            "\"age\":42,\"ratio\":0.5,\"big\":123456789012345678901234567890,\"admin\":true,\"guest\":false,\"nothing\":null," +
            "\"address\":{\"city\":\"Oslo\",\"zip\":\"0150\"},\"ids\":[1,2],\"matrix\":[[1],[2]],\"text\":\"42\"");

        Assert.Equal((ClaimValueTypes.Integer64, "42"), Single(identity, "age"));
        Assert.Equal((ClaimValueTypes.Double, "0.5"), Single(identity, "ratio"));
        Assert.Equal((ClaimValueTypes.Double, "123456789012345678901234567890"), Single(identity, "big"));
        Assert.Equal((ClaimValueTypes.Boolean, "true"), Single(identity, "admin"));
        Assert.Equal((ClaimValueTypes.Boolean, "false"), Single(identity, "guest"));
        Assert.Empty(identity.FindAll("nothing"));
        Assert.Equal(("JSON", "{\"city\":\"Oslo\",\"zip\":\"0150\"}"), Single(identity, "address"));
        Assert.Equal(["1", "2"], ValuesOf(identity, "ids"));
        Assert.All(identity.FindAll("ids"), c => Assert.Equal(ClaimValueTypes.Integer64, c.ValueType));
        Assert.Equal(["[1]", "[2]"], ValuesOf(identity, "matrix"));
        Assert.Equal((ClaimValueTypes.String, "42"), Single(identity, "text"));
        Assert.Equal(ClaimValueTypes.Integer64, identity.FindFirst("exp")!.ValueType);
    }

    [Fact]
    public async Task String_escapes_are_decoded()
    {
        var identity = await MapAsync("\"name\":\"A\\u00e9\\\"b\\\\\"");

        Assert.Equal("Aé\"b\\", identity.Name);
    }

    private static (string ValueType, string Value) Single(ClaimsIdentity identity, string type)
    {
        var claim = Assert.Single(identity.FindAll(type));
        return (claim.ValueType, claim.Value);
    }
}
