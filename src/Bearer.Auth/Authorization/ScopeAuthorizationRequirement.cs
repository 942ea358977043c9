using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;

namespace Bearer.Auth;

/// <summary>
/// An authorization requirement met when the user holds at least one of <see cref="AllowedScopes"/> (OAuth 2.0 scopes,
/// compared ordinally). Add it with <see cref="ScopeAuthorizationPolicyBuilderExtensions.RequireScope"/>. It is its own
/// handler, as ASP.NET Core's role and claim requirements are, so it needs no registration.
/// </summary>
/// <remarks>
/// <para>
/// Scopes are read from the claims of the user's authenticated identities of type <c>scope</c> (what the default
/// claims mapper makes of a token's <c>scope</c> and <c>scp</c>, one claim per value), <c>scp</c> and
/// <c>http://schemas.microsoft.com/identity/claims/scope</c> (other mappers' spellings); a claim value holding several
/// space-separated scopes counts each.
/// </para>
/// <para>
/// When the requirement is not met on a request, the scheme's 403 names its scopes in
/// <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="…"</c> (RFC 6750 §3). That works when the policy is
/// evaluated with the request (the authorization middleware, an MVC authorize filter, or
/// <c>IAuthorizationService.AuthorizeAsync(user, httpContext, policy)</c>); with another resource the 403 carries no
/// <c>scope</c>.
/// </para>
/// </remarks>
public sealed class ScopeAuthorizationRequirement : IAuthorizationRequirement, IAuthorizationHandler
{
    /// <summary>The claim type the default claims mapper gives each scope.</summary>
    private const string ScopeClaimType = JwtClaimsMapper.ScopeClaimType;

    /// <summary>Entra ID's short form, as a mapper that keeps claim names unchanged leaves it.</summary>
    private const string ScpClaimType = "scp";

    /// <summary>What <c>JwtBearer</c> with <c>MapInboundClaims</c> makes of <c>scp</c>.</summary>
    private const string MicrosoftScopeClaimType = "http://schemas.microsoft.com/identity/claims/scope";

    private readonly string[] _scopes;

    /// <summary>Creates the requirement.</summary>
    /// <param name="allowedScopes">
    /// The scopes, any one of which meets it. Each must be an RFC 6749 §3.3 scope-token: one or more printable ASCII
    /// characters other than space, <c>"</c> and <c>\</c>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="allowedScopes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No scope is given, or one is not a valid scope-token.</exception>
    public ScopeAuthorizationRequirement(IEnumerable<string> allowedScopes)
    {
        ArgumentNullException.ThrowIfNull(allowedScopes);
        _scopes = [.. allowedScopes];
        if (_scopes.Length == 0)
        {
            throw new ArgumentException("At least one scope is required.", nameof(allowedScopes));
        }

        foreach (var scope in _scopes)
        {
            if (!IsScopeToken(scope))
            {
                throw new ArgumentException(
                    $"{Describe(scope)} is not a valid scope: RFC 6749 §3.3 allows one or more printable ASCII characters other than space, '\"' and '\\'.",
                    nameof(allowedScopes));
            }
        }

        AllowedScopes = Array.AsReadOnly(_scopes);
    }

    /// <summary>Gets the scopes, any one of which meets the requirement, in the order given.</summary>
    public IReadOnlyList<string> AllowedScopes { get; }

    /// <summary>Returns a description for logs, e.g. <c>ScopeAuthorizationRequirement: scope is one of (orders.read|orders.admin)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{nameof(ScopeAuthorizationRequirement)}: scope is one of ({string.Join('|', _scopes)})";

    /// <inheritdoc />
    Task IAuthorizationHandler.HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsMetBy(context.User))
        {
            context.Succeed(this);
        }
        else
        {
            FailedScopeRequirements.Record(context, this);
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether an authenticated identity of <paramref name="user"/> holds one of the allowed scopes.</summary>
    internal bool IsMetBy(ClaimsPrincipal? user)
    {
        if (user is null)
        {
            return false;
        }

        foreach (var identity in user.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            foreach (var claim in identity.Claims)
            {
                if ((claim.Type is ScopeClaimType or ScpClaimType or MicrosoftScopeClaimType) && GrantsAny(claim.Value))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool GrantsAny(string claimValue)
    {
        var value = claimValue.AsSpan();
        foreach (var range in value.Split(' '))
        {
            var granted = value[range];
            foreach (var scope in _scopes)
            {
                if (granted.SequenceEqual(scope))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>RFC 6749 §3.3: <c>scope-token = 1*( %x21 / %x23-5B / %x5D-7E )</c>.</summary>
    private static bool IsScopeToken(string? scope)
    {
        if (string.IsNullOrEmpty(scope))
        {
            return false;
        }

        foreach (var c in scope)
        {
            if (c is < '\x21' or > '\x7E' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The refused value for the message, quoted, with anything unprintable shown as an escape.</summary>
    private static string Describe(string? scope)
    {
        if (scope is null)
        {
            return "null";
        }

        var builder = new StringBuilder("'", scope.Length + 2);
        foreach (var c in scope.Length <= 64 ? scope : scope[..64])
        {
            if (c is >= '\x20' and <= '\x7E')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return builder.Append(scope.Length <= 64 ? "'" : "'…").ToString();
    }
}
