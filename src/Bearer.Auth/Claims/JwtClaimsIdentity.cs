using System.Security.Claims;

namespace Bearer.Auth;

/// <summary>
/// The identity <see cref="JwtClaimsMapper"/> makes: its lookups by claim type are exact (ordinal), as JWT claim names
/// are (RFC 7519 §4, names are case-sensitive). <see cref="ClaimsIdentity"/> compares types ignoring case, so a
/// token's <c>Role</c> claim counted as a role for <c>IsInRole</c>, a <c>NAME</c> claim became the identity's
/// <c>Name</c> ahead of <c>name</c>, and <c>FindFirst("sub")</c> could return a <c>Sub</c> claim (found by fuzzing).
/// </summary>
internal sealed class JwtClaimsIdentity : ClaimsIdentity
{
    internal JwtClaimsIdentity(string authenticationType, string nameType, string roleType)
        : base(authenticationType, nameType, roleType)
    {
    }

    private JwtClaimsIdentity(JwtClaimsIdentity other)
        : base(other)
    {
    }

    /// <inheritdoc />
    public override Claim? FindFirst(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (var claim in OwnClaims())
        {
            if (string.Equals(claim.Type, type, StringComparison.Ordinal))
            {
                return claim;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override IEnumerable<Claim> FindAll(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return FindAllExact(type);
    }

    /// <inheritdoc />
    public override bool HasClaim(string type, string value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(value);
        foreach (var claim in OwnClaims())
        {
            // The value ordinally, as the base class compares it.
            if (string.Equals(claim.Type, type, StringComparison.Ordinal) && string.Equals(claim.Value, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override ClaimsIdentity Clone() => new JwtClaimsIdentity(this);

    /// <summary>The claims as the list they are kept in when they can be (no enumerator to allocate on each lookup).</summary>
    private List<Claim> OwnClaims() => Claims as List<Claim> ?? [.. Claims];

    private IEnumerable<Claim> FindAllExact(string type)
    {
        foreach (var claim in Claims)
        {
            if (string.Equals(claim.Type, type, StringComparison.Ordinal))
            {
                yield return claim;
            }
        }
    }
}
