namespace Bearer.Auth;

/// <summary>
/// What one access token says about its holder: the subject (<c>sub</c>), optionally the session (<c>sid</c>), roles
/// (a <c>role</c> array, which <see cref="JwtClaimsMapper"/> maps to <c>IsInRole</c>) and extra claims. It is checked
/// as it is built, so <see cref="BearerJwtTokenIssuer.Issue"/> never refuses it; one request may be issued many times.
/// </summary>
public sealed class AccessTokenRequest
{
    // Set by the issuer from its options or from this request's own properties: an extra claim never overrides them.
    // The Microsoft role claim type URI is read as a role too (JwtClaimsMapper): roles go through Roles only.
    private static readonly string[] ReservedNames =
        ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "sid", "client_id", "role", "roles", System.Security.Claims.ClaimTypes.Role];

    private readonly string? _sessionId;
    private readonly string? _clientId;
    private string[] _roles = [];
    private List<ExtraClaim>? _extras;

    /// <summary>Creates a request for <paramref name="subject"/>.</summary>
    /// <param name="subject">The <c>sub</c>: who the token is about (a stable user id, not a display name).</param>
    /// <exception cref="ArgumentException"><paramref name="subject"/> is null, empty or white space.</exception>
    public AccessTokenRequest(string subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            throw new ArgumentException($"AccessTokenRequest.Subject must be a non-empty string, not {Quote(subject)}.", nameof(subject));
        }

        Subject = RequireWellFormed(subject, "AccessTokenRequest.Subject", nameof(subject));
    }

    /// <summary>Gets the <c>sub</c>.</summary>
    public string Subject { get; }

    /// <summary>Gets the session id, the <c>sid</c> (what revoking a session names), or <see langword="null"/> for none.</summary>
    /// <exception cref="ArgumentException">Set to an empty or white-space string.</exception>
    public string? SessionId
    {
        get => _sessionId;
        init => _sessionId = value is null || !string.IsNullOrWhiteSpace(value)
            ? (value is null ? null : RequireWellFormed(value, "AccessTokenRequest.SessionId", nameof(SessionId)))
            : throw new ArgumentException($"AccessTokenRequest.SessionId must be null or a non-empty string, not '{value}'.", nameof(SessionId));
    }

    /// <summary>
    /// Gets the client the token was issued to, the <c>client_id</c> claim, or <see langword="null"/> for none. RFC 9068
    /// (JWT access tokens, <c>typ</c> <c>at+jwt</c>) requires it: set it whenever tokens go to an OAuth client.
    /// </summary>
    /// <exception cref="ArgumentException">Set to an empty or white-space string.</exception>
    public string? ClientId
    {
        get => _clientId;
        init => _clientId = value is null || !string.IsNullOrWhiteSpace(value)
            ? (value is null ? null : RequireWellFormed(value, "AccessTokenRequest.ClientId", nameof(ClientId)))
            : throw new ArgumentException($"AccessTokenRequest.ClientId must be null or a non-empty string, not '{value}'.", nameof(ClientId));
    }

    /// <summary>Gets the roles, written as the <c>role</c> array (left out when empty). Default: none.</summary>
    /// <exception cref="ArgumentException">Set to null, or to a list with a null, empty or white-space role.</exception>
    public IReadOnlyList<string> Roles
    {
        get => _roles;
        init => _roles = CopyRoles(value);
    }

    /// <summary>The roles as stored, for the writer.</summary>
    internal string[] RoleArray => _roles;

    /// <summary>The extra claims in the order they were added, for the writer.</summary>
    internal List<ExtraClaim>? Extras => _extras;

    /// <summary>Adds a string claim.</summary>
    /// <param name="name">The claim name; not one the issuer sets (<c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, <c>nbf</c>, <c>iat</c>, <c>jti</c>, <c>sid</c>, <c>client_id</c>, <c>role</c>, <c>roles</c>) nor one added already.</param>
    /// <param name="value">The value.</param>
    /// <returns>This request.</returns>
    /// <exception cref="ArgumentException">The name is empty, reserved or added already, or the value is null.</exception>
    public AccessTokenRequest AddClaim(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Add(new ExtraClaim(CheckName(name), ExtraClaimKind.String, RequireWellFormed(value, $"The claim '{name}'", nameof(value)), null, 0, 0));
    }

    /// <summary>Adds an integer claim.</summary>
    /// <param name="name">The claim name (see <see cref="AddClaim(string, string)"/>).</param>
    /// <param name="value">The value.</param>
    /// <returns>This request.</returns>
    /// <exception cref="ArgumentException">The name is empty, reserved or added already.</exception>
    public AccessTokenRequest AddClaim(string name, long value) =>
        Add(new ExtraClaim(CheckName(name), ExtraClaimKind.Integer, null, null, value, 0));

    /// <summary>Adds a number claim.</summary>
    /// <param name="name">The claim name (see <see cref="AddClaim(string, string)"/>).</param>
    /// <param name="value">The value; finite (JSON has no NaN or infinity).</param>
    /// <returns>This request.</returns>
    /// <exception cref="ArgumentException">The name is empty, reserved or added already, or the value is not finite.</exception>
    public AccessTokenRequest AddClaim(string name, double value)
    {
        var checkedName = CheckName(name);
        if (!double.IsFinite(value))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The claim '{name}' must be a finite number, not {value}."), nameof(value));
        }

        return Add(new ExtraClaim(checkedName, ExtraClaimKind.Number, null, null, 0, value));
    }

    /// <summary>Adds a boolean claim.</summary>
    /// <param name="name">The claim name (see <see cref="AddClaim(string, string)"/>).</param>
    /// <param name="value">The value.</param>
    /// <returns>This request.</returns>
    /// <exception cref="ArgumentException">The name is empty, reserved or added already.</exception>
    public AccessTokenRequest AddClaim(string name, bool value) =>
        Add(new ExtraClaim(CheckName(name), value ? ExtraClaimKind.True : ExtraClaimKind.False, null, null, 0, 0));

    /// <summary>Adds a claim whose value is an array of strings (copied).</summary>
    /// <param name="name">The claim name (see <see cref="AddClaim(string, string)"/>).</param>
    /// <param name="values">The values; none null.</param>
    /// <returns>This request.</returns>
    /// <exception cref="ArgumentException">The name is empty, reserved or added already, or the array is null or holds a null.</exception>
    public AccessTokenRequest AddClaim(string name, string[] values)
    {
        var checkedName = CheckName(name);
        ArgumentNullException.ThrowIfNull(values);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                throw new ArgumentException($"The claim '{name}' has a null value at index {i}.", nameof(values));
            }

            RequireWellFormed(values[i], $"The claim '{name}' at index {i}", nameof(values));
        }

        return Add(new ExtraClaim(checkedName, ExtraClaimKind.StringArray, null, (string[])values.Clone(), 0, 0));
    }

    private static string Quote(string? value) => value is null ? "null" : $"'{value}'";

    /// <summary>
    /// Refuses text with a lone surrogate: JSON cannot carry it, and the writer would silently turn it into U+FFFD, so
    /// two different names could become one repeated member that validators refuse.
    /// </summary>
    private static string RequireWellFormed(string value, string what, string parameter)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                throw new ArgumentException($"{what} is not well-formed UTF-16: it has a lone surrogate at index {i}, which JSON cannot carry.", parameter);
            }
        }

        return value;
    }

    private static string[] CopyRoles(IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var copy = new string[roles.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(roles[i]))
            {
                throw new ArgumentException($"AccessTokenRequest.Roles[{i}] must be a non-empty role, not {Quote(roles[i])}.", nameof(roles));
            }

            copy[i] = RequireWellFormed(roles[i], $"AccessTokenRequest.Roles[{i}]", nameof(roles));
        }

        return copy;
    }

    private string CheckName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"A claim name must be a non-empty string, not {Quote(name)}.", nameof(name));
        }

        RequireWellFormed(name, "A claim name", nameof(name));
        foreach (var reserved in ReservedNames)
        {
            if (string.Equals(reserved, name, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"The claim '{name}' is set by the issuer: an extra claim cannot be iss, sub, aud, exp, nbf, iat, jti, sid, role, roles or the role claim type URI.", nameof(name));
            }
        }

        if (_extras is not null)
        {
            foreach (var extra in _extras)
            {
                if (string.Equals(extra.Name, name, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"The claim '{name}' is already added.", nameof(name));
                }
            }
        }

        return name;
    }

    private AccessTokenRequest Add(ExtraClaim claim)
    {
        (_extras ??= []).Add(claim);
        return this;
    }
}
