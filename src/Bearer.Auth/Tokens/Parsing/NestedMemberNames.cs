using System.Text.Json;

namespace Bearer.Auth;

/// <summary>
/// Reads past a member's object or array value while refusing a repeated member name inside it, at any depth. A
/// nested duplicate (<c>"realm_access":{"roles":["admin"],"roles":["user"]}</c>) is as dangerous as a top-level one:
/// a first-wins and a last-wins reader see different roles. Names go into the document's one
/// <see cref="MemberNameSet"/>, keyed by the object that holds them, so nesting adds no table and no allocation, and
/// the recursion is bounded by the reader's <see cref="JsonReaderOptions.MaxDepth"/> (it throws before going deeper).
/// </summary>
internal static class NestedMemberNames
{
    /// <summary>
    /// Reads from the <see cref="JsonTokenType.StartObject"/> or <see cref="JsonTokenType.StartArray"/> the reader is
    /// on to its matching end (where <see cref="Utf8JsonReader.Skip"/> would leave it); false at the first repeated
    /// name, with the reader left inside.
    /// </summary>
    internal static bool ReadPast(ref Utf8JsonReader reader, ref MemberNameSet names)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            // An array of scalars (roles, groups, scopes) is the common case: read through, nothing to remember.
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !ReadPast(ref reader, ref names))
                {
                    return false;
                }
            }

            return true;
        }

        var objectId = names.OpenObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!names.TryAdd(MemberNameSet.HashName(ref reader, out _), objectId))
            {
                return false;
            }

            reader.Read();
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !ReadPast(ref reader, ref names))
            {
                return false;
            }
        }

        return true;
    }
}
