using Microsoft.AspNetCore.Authorization;

namespace Bearer.Auth.Tests.Authorization;

/// <summary>
/// <c>RequireScope</c> refuses, when the policy is built, every value that is not an RFC 6749 §3.3 scope-token, so
/// nothing unsafe can reach a <c>WWW-Authenticate</c> header; valid values are kept as given.
/// </summary>
public sealed class ScopeRequirementTests
{
    public static TheoryData<string?, string> InvalidScopes { get; } = new()
    {
        { "", "''" },
        { " ", "' '" },
        { "orders read", "'orders read'" },
        { " orders", "' orders'" },
        { "orders\"", "'orders\"'" },
        { "orders\\", "'orders\\'" },
        { "orders\t", "'orders\\u0009'" },
        { "orders\r\nX-Evil: 1", "'orders\\u000d\\u000aX-Evil: 1'" },
        { "r\u00e9ad", "'r\\u00e9ad'" },
        { "orders\u007f", "'orders\\u007f'" },
        { null, "null" },
    };

    [Theory]
    [MemberData(nameof(InvalidScopes))]
    public void An_invalid_scope_is_refused_when_the_policy_is_built_naming_it(string? scope, string shown)
    {
        var builder = new AuthorizationPolicyBuilder();

        var failure = Assert.Throws<ArgumentException>(() => builder.RequireScope("orders.read", scope!));

        Assert.Equal("allowedScopes", failure.ParamName);
        Assert.Equal(
            $"{shown} is not a valid scope: RFC 6749 §3.3 allows one or more printable ASCII characters other than space, '\"' and '\\'. (Parameter 'allowedScopes')",
            failure.Message);
        Assert.Empty(builder.Requirements);
    }

    [Fact]
    public void A_long_invalid_scope_is_shown_cut_short()
    {
        var failure = Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireScope(new string('a', 100) + " b"));

        Assert.StartsWith($"'{new string('a', 64)}'… is not a valid scope", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_scope_at_all_is_refused()
    {
        var failure = Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireScope());

        Assert.Equal("At least one scope is required. (Parameter 'allowedScopes')", failure.Message);
    }

    [Fact]
    public void Null_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new AuthorizationPolicyBuilder().RequireScope(null!));
        Assert.Throws<ArgumentNullException>(() => ((AuthorizationPolicyBuilder)null!).RequireScope("orders.read"));
    }

    [Fact]
    public void Every_scope_token_character_is_accepted_and_the_order_is_kept()
    {
        // %x21 / %x23-5B / %x5D-7E: everything printable but space, '"' and '\'.
        var everyCharacter = new string([.. Enumerable.Range(0x21, 0x7E - 0x20).Select(c => (char)c).Where(c => c is not '"' and not '\\')]);

        var policy = new AuthorizationPolicyBuilder()
            .RequireScope("https://graph.microsoft.com/User.Read", "api://orders/Orders.ReadWrite", everyCharacter)
            .Build();

        var requirement = Assert.IsType<ScopeAuthorizationRequirement>(Assert.Single(policy.Requirements));
        Assert.Equal(["https://graph.microsoft.com/User.Read", "api://orders/Orders.ReadWrite", everyCharacter], requirement.AllowedScopes);
        Assert.Equal(92, everyCharacter.Length);
    }

    [Fact]
    public void Each_call_adds_one_requirement_that_describes_itself()
    {
        var policy = new AuthorizationPolicyBuilder().RequireScope("orders.read", "orders.admin").RequireScope("audit").Build();

        Assert.Equal(
            ["ScopeAuthorizationRequirement: scope is one of (orders.read|orders.admin)", "ScopeAuthorizationRequirement: scope is one of (audit)"],
            policy.Requirements.Select(r => r.ToString()));
    }

    [Fact]
    public void The_requirement_keeps_its_own_copy_of_the_scopes()
    {
        var scopes = new[] { "orders.read" };
        var requirement = new ScopeAuthorizationRequirement(scopes);

        scopes[0] = "orders read";

        Assert.Equal(["orders.read"], requirement.AllowedScopes);
        Assert.False(requirement.AllowedScopes is string[]);
    }
}
