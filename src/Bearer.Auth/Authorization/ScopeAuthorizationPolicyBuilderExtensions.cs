using Microsoft.AspNetCore.Authorization;

namespace Bearer.Auth;

/// <summary>Scope requirements for authorization policies.</summary>
public static class ScopeAuthorizationPolicyBuilderExtensions
{
    /// <summary>
    /// Requires the user to hold at least one of <paramref name="scopes"/> (OAuth 2.0 scopes from the token's
    /// <c>scope</c> or <c>scp</c> claim, compared ordinally). Each call adds a requirement, so
    /// <c>RequireScope("a", "b").RequireScope("c")</c> needs (<c>a</c> or <c>b</c>) and <c>c</c>. When a requirement
    /// fails, the scheme's 403 names the scopes that would meet it:
    /// <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="a b"</c> (RFC 6750 §3).
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="scopes">
    /// The scopes, any one of which meets the requirement; each an RFC 6749 §3.3 scope-token (printable ASCII other than
    /// space, <c>"</c> and <c>\</c>), checked here, when the policy is built.
    /// </param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="scopes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No scope is given, or one is not a valid scope-token.</exception>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder builder, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRequirements(new ScopeAuthorizationRequirement(scopes));
    }
}
