using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Bearer.Auth;

/// <summary>
/// Reads the decoded JOSE header (RFC 7515 §4) and refuses what is not a JWS this library can process at all: repeated
/// members, encryption or nesting, critical extensions, <c>zip</c>/<c>b64</c>. It applies no policy: the <c>alg</c>
/// allow-list is verification's, the <c>typ</c> rule claim validation's. URLs and keys in the header (<c>jku</c>,
/// <c>x5u</c>, <c>jwk</c>, <c>x5c</c>) are read past and never used.
/// </summary>
internal static class JwsHeaderReader
{
    private const int MaxTypeLength = 64;

    /// <summary>The longest escaped form of a type we accept: each byte may be written as a six-byte escape.</summary>
    private const int MaxEscapedTypeLength = MaxTypeLength * 6;

    private static readonly byte[][] AlgorithmNamesUtf8 = CreateAlgorithmNames();

    internal static TokenFailureReason Read(ReadOnlySpan<byte> json, out ParsedHeader header)
    {
        header = default;
        if (!JsonText.IsUtf8Object(json))
        {
            return TokenFailureReason.TokenMalformed;
        }

        var algorithmIndex = -1;
        string? keyId = null;
        string? type = null;
        var typePresent = false;
        var failure = TokenFailureReason.None;

        // Scoped like the name set's stack space, so both can be handed to NestedMemberNames together.
        scoped var reader = new Utf8JsonReader(json, JsonText.ReaderOptions);
        var names = new MemberNameSet(stackalloc ulong[16]);
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!names.TryAdd(MemberNameSet.HashName(ref reader, out var isPlain)))
                {
                    return TokenFailureReason.MemberDuplicate;
                }

                var member = isPlain ? Classify(reader.ValueSpan) : ClassifyEscaped(ref reader);

                reader.Read();
                var isString = reader.TokenType == JsonTokenType.String;
                switch (member)
                {
                    case Member.Algorithm:
                        if (isString)
                        {
                            algorithmIndex = FindAlgorithm(ref reader);
                        }
                        else
                        {
                            Keep(ref failure, TokenFailureReason.TokenMalformed);
                        }

                        break;
                    case Member.KeyId:
                        if (isString)
                        {
                            keyId = reader.GetString();
                        }
                        else
                        {
                            Keep(ref failure, TokenFailureReason.TokenMalformed);
                        }

                        break;
                    case Member.Type:
                        typePresent = true;
                        if (isString)
                        {
                            type = ReadType(ref reader);
                        }
                        else
                        {
                            Keep(ref failure, TokenFailureReason.TokenMalformed);
                        }

                        break;
                    case Member.ContentType:
                        if (isString && IsJwtContentType(ref reader))
                        {
                            Keep(ref failure, TokenFailureReason.TokenNested);
                        }

                        break;
                    case Member.Encryption:
                        Keep(ref failure, TokenFailureReason.TokenEncrypted);
                        break;
                    case Member.Critical:
                        // No extension is implemented, so any crit (valid or not) makes the token unprocessable (RFC 7515 §4.1.11).
                        Keep(ref failure, TokenFailureReason.CritUnsupported);
                        break;
                    case Member.Unsupported:
                        Keep(ref failure, TokenFailureReason.HeaderUnsupported);
                        break;
                }

                // Only a container has anything left to read past, and its members must not repeat either.
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
                    && !NestedMemberNames.ReadPast(ref reader, ref names))
                {
                    return TokenFailureReason.MemberDuplicate;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return TokenFailureReason.TokenMalformed;
            }
        }
        catch (JsonException)
        {
            // Thrown only for malformed JSON or excessive depth: a refusal, never a 500.
            return TokenFailureReason.TokenMalformed;
        }
        finally
        {
            names.Dispose();
        }

        if (failure != TokenFailureReason.None)
        {
            return failure;
        }

        header = new ParsedHeader(algorithmIndex, keyId, typePresent, type);
        return TokenFailureReason.None;
    }

    /// <summary>Keeps the first failure seen so the reported reason does not depend on member order more than needed.</summary>
    private static void Keep(ref TokenFailureReason failure, TokenFailureReason reason)
    {
        if (failure == TokenFailureReason.None || Precedence(reason) < Precedence(failure))
        {
            failure = reason;
        }
    }

    private static int Precedence(TokenFailureReason reason) => reason switch
    {
        TokenFailureReason.TokenMalformed => 0,
        TokenFailureReason.TokenEncrypted => 1,
        TokenFailureReason.TokenNested => 2,
        TokenFailureReason.CritUnsupported => 3,
        _ => 4,
    };

    private enum Member
    {
        Other,
        Algorithm,
        KeyId,
        Type,
        ContentType,
        Encryption,
        Critical,
        Unsupported,
    }

    /// <summary>Which header parameter a plain (unescaped) name is, matched on its raw bytes.</summary>
    private static Member Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 => name[0] switch
        {
            (byte)'a' when name.SequenceEqual("alg"u8) => Member.Algorithm,
            (byte)'k' when name.SequenceEqual("kid"u8) => Member.KeyId,
            (byte)'t' when name.SequenceEqual("typ"u8) => Member.Type,
            (byte)'c' when name.SequenceEqual("cty"u8) => Member.ContentType,
            (byte)'e' when name.SequenceEqual("enc"u8) => Member.Encryption,
            (byte)'z' when name.SequenceEqual("zip"u8) => Member.Unsupported,
            (byte)'b' when name.SequenceEqual("b64"u8) => Member.Unsupported,
            _ => Member.Other,
        },
        4 when name.SequenceEqual("crit"u8) => Member.Critical,
        _ => Member.Other,
    };

    /// <summary>Which header parameter the reader's escaped name is, compared after unescaping; the same outcome as <see cref="Classify"/>.</summary>
    private static Member ClassifyEscaped(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("alg"u8) ? Member.Algorithm
        : reader.ValueTextEquals("kid"u8) ? Member.KeyId
        : reader.ValueTextEquals("typ"u8) ? Member.Type
        : reader.ValueTextEquals("cty"u8) ? Member.ContentType
        : reader.ValueTextEquals("enc"u8) ? Member.Encryption
        : reader.ValueTextEquals("crit"u8) ? Member.Critical
        : reader.ValueTextEquals("zip"u8) || reader.ValueTextEquals("b64"u8) ? Member.Unsupported
        : Member.Other;

    private static int FindAlgorithm(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            for (var i = 0; i < AlgorithmNamesUtf8.Length; i++)
            {
                if (reader.ValueTextEquals(AlgorithmNamesUtf8[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        var value = reader.ValueSpan;
        for (var i = 0; i < AlgorithmNamesUtf8.Length; i++)
        {
            if (value.SequenceEqual(AlgorithmNamesUtf8[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The <c>typ</c> value unescaped, or <see langword="null"/> when it is longer than any media type worth comparing.
    /// The common spellings are shared strings, so a header that is not in the memo costs no allocation for them.
    /// </summary>
    private static string? ReadType(ref Utf8JsonReader reader)
    {
        Span<byte> buffer = stackalloc byte[MaxEscapedTypeLength];
        var length = ReadMediaType(ref reader, buffer);
        if (length < 0)
        {
            return null;
        }

        var type = buffer[..length];
        return type.SequenceEqual("JWT"u8) ? "JWT"
            : type.SequenceEqual("at+jwt"u8) ? "at+jwt"
            : type.SequenceEqual("application/at+jwt"u8) ? "application/at+jwt"
            : Encoding.UTF8.GetString(type);
    }

    private static bool IsJwtContentType(ref Utf8JsonReader reader)
    {
        Span<byte> buffer = stackalloc byte[MaxEscapedTypeLength];
        var length = ReadMediaType(ref reader, buffer);
        return length >= 0 && System.Text.Ascii.EqualsIgnoreCase(StripApplicationPrefix(buffer[..length]), "JWT"u8);
    }

    /// <summary>
    /// Unescapes a media-type string into <paramref name="buffer"/> (so <c>\u0061t+jwt</c> reads as <c>at+jwt</c>)
    /// and returns its length, or -1 when it is longer than any type we compare against.
    /// </summary>
    private static int ReadMediaType(ref Utf8JsonReader reader, scoped Span<byte> buffer)
    {
        // Unescaping never lengthens a string, so a buffer of the escaped length always suffices.
        if (reader.HasValueSequence || reader.ValueSpan.Length > buffer.Length)
        {
            return -1;
        }

        var length = reader.CopyString(buffer);
        return length > MaxTypeLength ? -1 : length;
    }

    private static ReadOnlySpan<byte> StripApplicationPrefix(ReadOnlySpan<byte> type) =>
        type.Length > 12 && System.Text.Ascii.EqualsIgnoreCase(type[..12], "application/"u8) ? type[12..] : type;

    private static byte[][] CreateAlgorithmNames()
    {
        var names = new byte[JwsAlgorithms.All.Count][];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Encoding.UTF8.GetBytes(JwsAlgorithms.All[i]);
        }

        return names;
    }
}
