using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text;
using System.Text.Json;

namespace Bearer.Auth;

// Over 300 lines because the mapping is one forward pass over the payload (roles, scopes, arrays, nested role
// paths, the name fallback); split, each part would re-read the JSON.

/// <summary>
/// The default mapping: claim types stay as the token names them (no URI rewriting); <c>role</c>/<c>roles</c> and
/// Microsoft's role claim type URI (<see cref="ClaimTypes.Role"/>, which tokens minted from .NET claims carry), as a
/// string or array, plus any role claim paths (<c>groups</c>, <c>realm_access.roles</c>), become one role claim per value;
/// <c>scope</c>/<c>scp</c> (space-separated or array) become one <c>scope</c> claim per value; arrays become one
/// claim per element; objects stay JSON. The name comes from the name claim type, falling back to <c>sub</c>.
/// </summary>
/// <remarks>
/// Wrap it to add or change claims: call <see cref="CreateIdentity"/> and edit the identity it returns, which is
/// always a new one. A token the repeat-token cache shares between requests is read from its payload once; later
/// requests get fresh claims from the values kept then.
/// </remarks>
public sealed class JwtClaimsMapper : IClaimsMapper
{
    internal const string ScopeClaimType = "scope";
    internal const string SubjectClaimType = "sub";

    private const int StackLimit = 1024;

    private readonly string _nameClaimType;
    private readonly string _roleClaimType;
    private readonly string[][] _rolePaths;
    private readonly string[] _topLevelRoleClaims;

    /// <summary>The claims read from tokens the repeat-token cache shares, kept as long as the cache keeps the token.</summary>
    private readonly ConditionalWeakTable<ValidatedToken, MappedClaims> _shared = [];

    /// <summary>Creates the mapping.</summary>
    /// <param name="nameClaimType">The claim type of <see cref="ClaimsIdentity.Name"/>; <c>sub</c> when the token has none. Default: <c>name</c>.</param>
    /// <param name="roleClaimType">The claim type roles map to (what <c>IsInRole</c> reads). Default: <c>role</c>.</param>
    /// <param name="roleClaimPaths">
    /// More claims read as roles: a top-level claim by its exact name (<c>groups</c>,
    /// <c>https://example.com/roles</c>) or a dotted path to a nested array (<c>realm_access.roles</c>). Default: none.
    /// </param>
    public JwtClaimsMapper(string nameClaimType = "name", string roleClaimType = "role", IEnumerable<string>? roleClaimPaths = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameClaimType);
        ArgumentException.ThrowIfNullOrEmpty(roleClaimType);
        _nameClaimType = nameClaimType;
        _roleClaimType = roleClaimType;

        // A path names a top-level claim exactly ("groups", or a namespaced "https://example.com/roles"), or else
        // walks nested objects segment by segment ("realm_access.roles").
        _topLevelRoleClaims = [.. roleClaimPaths ?? []];
        var paths = new List<string[]>();
        foreach (var path in _topLevelRoleClaims)
        {
            var segments = path.Split('.');
            if (segments.Length > 1)
            {
                paths.Add(segments);
            }
        }

        _rolePaths = [.. paths];
    }

    /// <summary>The claims this mapper keeps for <paramref name="token"/>, if any (tests look into it).</summary>
    internal MappedClaims? KeptFor(ValidatedToken token) => _shared.TryGetValue(token, out var kept) ? kept : null;

    /// <inheritdoc />
    public ClaimsIdentity CreateIdentity(ValidatedToken token, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.IsShared && _shared.TryGetValue(token, out var kept))
        {
            return kept.CreateIdentity(authenticationType, _roleClaimType);
        }

        // Claims are created with the identity as their subject, so the identity adopts them instead of cloning each
        // one; that needs the name claim type first, so the values are read into a buffer before the identity exists.
        var issuer = token.Issuer ?? ClaimsIdentity.DefaultIssuer;
        var claims = new ClaimBuffer();
        var length = token.PayloadLength;
        byte[]? rented = null;
        // Sized to the payload: the runtime zeroes stack buffers. Every value is copied out, so the buffer can go.
        var buffer = length <= StackLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        string nameClaimType;
        try
        {
            nameClaimType = ReadClaims(token.ReadPayload(buffer), ref claims) ? _nameClaimType : SubjectClaimType;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        var identity = new JwtClaimsIdentity(authenticationType, nameClaimType, _roleClaimType);
        foreach (ref readonly var claim in claims.Items)
        {
            identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, issuer, issuer, identity));
        }

        // Only a token the cache shares is mapped again; one seen once costs nothing more. Large claim sets are read
        // from the payload every time, which bounds what a cache entry keeps alive.
        if (token.IsShared && claims.Count <= MappedClaims.MaxClaims && claims.ValueLength <= MappedClaims.MaxValueLength)
        {
            _shared.TryAdd(token, new MappedClaims(nameClaimType, issuer, claims.Items.ToArray()));
        }

        return identity;
    }

    /// <summary>
    /// Reads every claim of the payload in order. Returns whether the name claim has a value (not null, not an array
    /// without a non-null element); the name falls back to <c>sub</c> otherwise.
    /// </summary>
    private bool ReadClaims(ReadOnlySpan<byte> json, ref ClaimBuffer claims)
    {
        var nameHasValue = false;
        var reader = new Utf8JsonReader(json, JsonText.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = WellKnownName(ref reader) ?? reader.GetString()!;
            reader.Read();

            // Member names are unique (the validator refuses duplicates), so this is the name claim's only occurrence.
            var isNameClaim = string.Equals(name, _nameClaimType, StringComparison.Ordinal);
            var kind = KindOf(name);
            if (kind == ClaimKind.Plain && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var objectJson = json[start..(int)reader.BytesConsumed];
                claims.Add(name, Encoding.UTF8.GetString(objectJson), "JSON");
                AddNestedRoles(name, objectJson, ref claims);
                nameHasValue |= isNameClaim;
                continue;
            }

            var type = kind switch
            {
                ClaimKind.Role => _roleClaimType,
                ClaimKind.Scope => ScopeClaimType,
                _ => name,
            };
            var hasValue = AddValues(ref reader, json, type, kind == ClaimKind.Scope, ref claims);
            nameHasValue |= isNameClaim && hasValue;
        }

        return nameHasValue;
    }

    /// <summary>The registered and common claim names as shared strings, so mapping a typical token allocates no names.</summary>
    private static string? WellKnownName(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return null;
        }

        var name = reader.ValueSpan;
        return name.Length switch
        {
            3 when name.SequenceEqual("iss"u8) => "iss",
            3 when name.SequenceEqual("aud"u8) => "aud",
            3 when name.SequenceEqual("sub"u8) => "sub",
            3 when name.SequenceEqual("exp"u8) => "exp",
            3 when name.SequenceEqual("iat"u8) => "iat",
            3 when name.SequenceEqual("nbf"u8) => "nbf",
            3 when name.SequenceEqual("jti"u8) => "jti",
            3 when name.SequenceEqual("azp"u8) => "azp",
            3 when name.SequenceEqual("scp"u8) => "scp",
            3 when name.SequenceEqual("sid"u8) => "sid",
            4 when name.SequenceEqual("name"u8) => "name",
            4 when name.SequenceEqual("role"u8) => "role",
            5 when name.SequenceEqual("roles"u8) => "roles",
            5 when name.SequenceEqual("scope"u8) => "scope",
            5 when name.SequenceEqual("email"u8) => "email",
            9 when name.SequenceEqual("client_id"u8) => "client_id",
            60 when name.SequenceEqual("http://schemas.microsoft.com/ws/2008/06/identity/claims/role"u8) => ClaimTypes.Role,
            _ => null,
        };
    }

    private ClaimKind KindOf(string name) => name switch
    {
        "role" or "roles" or ClaimTypes.Role => ClaimKind.Role,
        "scope" or "scp" => ClaimKind.Scope,
        _ when string.Equals(name, _roleClaimType, StringComparison.Ordinal) => ClaimKind.Role,
        _ when Array.IndexOf(_topLevelRoleClaims, name) >= 0 => ClaimKind.Role,
        _ => ClaimKind.Plain,
    };

    /// <summary>
    /// Adds the value the reader is on: one claim per primitive, one per array element. Returns whether it has a
    /// value: not null, and for an array, a non-null element (an empty string or scope still counts).
    /// </summary>
    private static bool AddValues(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string type, bool splitSpaces, ref ClaimBuffer claims)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            var isNull = reader.TokenType == JsonTokenType.Null;
            AddValue(ref reader, json, type, splitSpaces, ref claims);
            return !isNull;
        }

        var hasValue = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            hasValue |= reader.TokenType != JsonTokenType.Null;
            AddValue(ref reader, json, type, splitSpaces, ref claims);
        }

        return hasValue;
    }

    private static void AddValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string type, bool splitSpaces, ref ClaimBuffer claims)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var value = reader.GetString()!;
                if (splitSpaces)
                {
                    foreach (var part in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        claims.Add(type, part, ClaimValueTypes.String);
                    }
                }
                else
                {
                    claims.Add(type, value, ClaimValueTypes.String);
                }

                break;
            case JsonTokenType.Number:
                var number = Encoding.UTF8.GetString(reader.ValueSpan);
                claims.Add(type, number, reader.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double);
                break;
            case JsonTokenType.True:
            case JsonTokenType.False:
                claims.Add(type, reader.TokenType == JsonTokenType.True ? "true" : "false", ClaimValueTypes.Boolean);
                break;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                claims.Add(type, Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]), "JSON");
                break;
            default:
                break; // null carries no value
        }
    }

    private void AddNestedRoles(string topLevelName, ReadOnlySpan<byte> objectJson, ref ClaimBuffer claims)
    {
        foreach (var path in _rolePaths)
        {
            if (path.Length < 2 || !string.Equals(path[0], topLevelName, StringComparison.Ordinal))
            {
                continue;
            }

            var reader = new Utf8JsonReader(objectJson, JsonText.ReaderOptions);
            if (MoveTo(ref reader, path.AsSpan(1)))
            {
                AddValues(ref reader, objectJson, _roleClaimType, splitSpaces: false, ref claims);
            }
        }
    }

    /// <summary>Walks <paramref name="path"/> through nested objects; leaves the reader on the value found.</summary>
    private static bool MoveTo(ref Utf8JsonReader reader, ReadOnlySpan<string> path)
    {
        foreach (var segment in path)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(segment))
                {
                    found = true;
                    break;
                }

                reader.Read();
                reader.Skip();
            }

            if (!found)
            {
                return false;
            }
        }

        return reader.Read();
    }

    /// <summary>The claims read so far, in order: on the stack for typical tokens, in a growing array beyond.</summary>
    private struct ClaimBuffer
    {
        private InlineClaims _inline;
        private ClaimSpec[]? _spilled;

        internal int Count { get; private set; }

        /// <summary>Gets the total length of the values, in characters.</summary>
        internal int ValueLength { get; private set; }

        [UnscopedRef]
        internal readonly ReadOnlySpan<ClaimSpec> Items => _spilled is null ? ((ReadOnlySpan<ClaimSpec>)_inline)[..Count] : _spilled.AsSpan(0, Count);

        internal void Add(string type, string value, string valueType)
        {
            var spec = new ClaimSpec(type, value, valueType);
            if (_spilled is null && Count < InlineClaims.Length)
            {
                _inline[Count] = spec;
            }
            else
            {
                if (_spilled is null || Count == _spilled.Length)
                {
                    var grown = new ClaimSpec[Count * 2];
                    Items.CopyTo(grown);
                    _spilled = grown;
                }

                _spilled[Count] = spec;
            }

            Count++;
            ValueLength += value.Length;
        }
    }

    [InlineArray(Length)]
    private struct InlineClaims
    {
        internal const int Length = 16;

        private ClaimSpec _first;
    }

    private enum ClaimKind
    {
        Plain,
        Role,
        Scope,
    }
}
