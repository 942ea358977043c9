using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Bearer.Auth.Tokens;

namespace Bearer.Auth.Claims;

/// <summary>
/// The default mapping: claim types stay as the token names them (no URI rewriting); <c>role</c>/<c>roles</c> (string
/// or array, plus any <c>RoleClaimPaths</c>: <c>groups</c>, <c>realm_access.roles</c>) become one role claim per value;
/// <c>scope</c>/<c>scp</c> (space-separated or array) become one <c>scope</c> claim per value; arrays become one
/// claim per element; objects stay JSON. The name comes from <c>NameClaimType</c>, falling back to <c>sub</c>.
/// </summary>
internal sealed class JwtClaimsMapper : IClaimsMapper
{
    internal const string ScopeClaimType = "scope";
    internal const string SubjectClaimType = "sub";

    private readonly string _nameClaimType;
    private readonly string _roleClaimType;
    private readonly byte[] _nameClaimTypeUtf8;
    private readonly string[][] _rolePaths;
    private readonly string[] _topLevelRoleClaims;

    internal JwtClaimsMapper(string nameClaimType, string roleClaimType, IEnumerable<string> roleClaimPaths)
    {
        _nameClaimType = nameClaimType;
        _roleClaimType = roleClaimType;
        _nameClaimTypeUtf8 = Encoding.UTF8.GetBytes(nameClaimType);

        // A path names a top-level claim exactly ("groups", or a namespaced "https://example.com/roles"), or else
        // walks nested objects segment by segment ("realm_access.roles").
        _topLevelRoleClaims = [.. roleClaimPaths];
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

    public ClaimsIdentity CreateIdentity(ValidatedToken token, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(token);
        var issuer = token.Issuer ?? ClaimsIdentity.DefaultIssuer;
        var json = token.Payload.Span;

        // Claims are created with the identity as their subject, so the identity adopts them instead of cloning each
        // one; that needs the name claim type first, hence a quick look at the top-level members. The name falls back
        // to sub when the name claim is absent or has no value (null, empty array).
        var identity = new ClaimsIdentity(authenticationType, HasValue(json, _nameClaimTypeUtf8) ? _nameClaimType : SubjectClaimType, _roleClaimType);
        var claims = new ClaimSink(identity, issuer);
        var reader = new Utf8JsonReader(json, JsonText.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = WellKnownName(ref reader) ?? reader.GetString()!;
            reader.Read();
            var kind = KindOf(name);
            if (kind == ClaimKind.Plain && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var objectJson = json[start..(int)reader.BytesConsumed];
                claims.Add(name, Encoding.UTF8.GetString(objectJson), "JSON");
                AddNestedRoles(name, objectJson, claims);
                continue;
            }

            var type = kind switch
            {
                ClaimKind.Role => _roleClaimType,
                ClaimKind.Scope => ScopeClaimType,
                _ => name,
            };
            AddValues(ref reader, json, type, kind == ClaimKind.Scope, claims);
        }

        return identity;
    }

    /// <summary>Whether the claims set has a top-level member <paramref name="name"/> that yields a claim (not null, not <c>[]</c>).</summary>
    private static bool HasValue(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json, JsonText.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return reader.TokenType switch
                {
                    JsonTokenType.Null => false,
                    JsonTokenType.StartArray => ArrayHasNonNullElement(ref reader),
                    _ => true,
                };
            }

            reader.Skip();
        }

        return false;
    }

    private static bool ArrayHasNonNullElement(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Null)
            {
                return true;
            }
        }

        return false;
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
            _ => null,
        };
    }

    private ClaimKind KindOf(string name) => name switch
    {
        "role" or "roles" => ClaimKind.Role,
        "scope" or "scp" => ClaimKind.Scope,
        _ when string.Equals(name, _roleClaimType, StringComparison.Ordinal) => ClaimKind.Role,
        _ when Array.IndexOf(_topLevelRoleClaims, name) >= 0 => ClaimKind.Role,
        _ => ClaimKind.Plain,
    };

    /// <summary>Adds the value the reader is on: one claim per primitive, one per array element.</summary>
    private static void AddValues(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string type, bool splitSpaces, ClaimSink claims)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            AddValue(ref reader, json, type, splitSpaces, claims);
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            AddValue(ref reader, json, type, splitSpaces, claims);
        }
    }

    private static void AddValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string type, bool splitSpaces, ClaimSink claims)
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

    private void AddNestedRoles(string topLevelName, ReadOnlySpan<byte> objectJson, ClaimSink claims)
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
                AddValues(ref reader, objectJson, _roleClaimType, splitSpaces: false, claims);
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

    /// <summary>Adds claims issued by one issuer straight to the identity they belong to (no clone per claim).</summary>
    private readonly struct ClaimSink(ClaimsIdentity identity, string issuer)
    {
        internal void Add(string type, string value, string valueType) =>
            identity.AddClaim(new Claim(type, value, valueType, issuer, issuer, identity));
    }

    private enum ClaimKind
    {
        Plain,
        Role,
        Scope,
    }
}
