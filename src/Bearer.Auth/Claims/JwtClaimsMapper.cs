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
    private readonly string[][] _rolePaths;
    private readonly string[] _topLevelRoleClaims;

    internal JwtClaimsMapper(string nameClaimType, string roleClaimType, IEnumerable<string> roleClaimPaths)
    {
        _nameClaimType = nameClaimType;
        _roleClaimType = roleClaimType;
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
        var claims = new List<Claim>(16);
        var json = token.Payload.Span;
        var reader = new Utf8JsonReader(json, JsonText.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var kind = KindOf(name);
            if (kind == ClaimKind.Plain && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var objectJson = json[start..(int)reader.BytesConsumed];
                claims.Add(new Claim(name, Encoding.UTF8.GetString(objectJson), "JSON", issuer));
                AddNestedRoles(name, objectJson, claims, issuer);
                continue;
            }

            var type = kind switch
            {
                ClaimKind.Role => _roleClaimType,
                ClaimKind.Scope => ScopeClaimType,
                _ => name,
            };
            AddValues(ref reader, json, type, kind == ClaimKind.Scope, claims, issuer);
        }

        // The name falls back to sub when the name claim is absent or has no value (null, empty array).
        var nameClaimType = HasClaim(claims, _nameClaimType) ? _nameClaimType : SubjectClaimType;
        return new ClaimsIdentity(claims, authenticationType, nameClaimType, _roleClaimType);
    }

    private static bool HasClaim(List<Claim> claims, string type)
    {
        foreach (var claim in claims)
        {
            if (string.Equals(claim.Type, type, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
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
    private static void AddValues(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string type, bool splitSpaces, List<Claim> claims, string issuer)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            AddValue(ref reader, json, type, splitSpaces, claims, issuer);
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            AddValue(ref reader, json, type, splitSpaces, claims, issuer);
        }
    }

    private static void AddValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string type, bool splitSpaces, List<Claim> claims, string issuer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var value = reader.GetString()!;
                if (splitSpaces)
                {
                    foreach (var part in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        claims.Add(new Claim(type, part, ClaimValueTypes.String, issuer));
                    }
                }
                else
                {
                    claims.Add(new Claim(type, value, ClaimValueTypes.String, issuer));
                }

                break;
            case JsonTokenType.Number:
                var number = Encoding.UTF8.GetString(reader.ValueSpan);
                claims.Add(new Claim(type, number, reader.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double, issuer));
                break;
            case JsonTokenType.True:
            case JsonTokenType.False:
                claims.Add(new Claim(type, reader.TokenType == JsonTokenType.True ? "true" : "false", ClaimValueTypes.Boolean, issuer));
                break;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                claims.Add(new Claim(type, Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]), "JSON", issuer));
                break;
            default:
                break; // null carries no value
        }
    }

    private void AddNestedRoles(string topLevelName, ReadOnlySpan<byte> objectJson, List<Claim> claims, string issuer)
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
                AddValues(ref reader, objectJson, _roleClaimType, splitSpaces: false, claims, issuer);
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

    private enum ClaimKind
    {
        Plain,
        Role,
        Scope,
    }
}
