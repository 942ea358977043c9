using System.Globalization;
using System.Text;
using System.Text.Json;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Differential;

/// <summary>
/// Random, valid claims sets as JSON text: the registered claims a valid token needs (NumericDates written as
/// integers, fractions or exponent forms; <c>aud</c> as a string or an array) and random private claims of every JSON
/// type: strings with unicode (astral too) and escapes, integers (to beyond 64 bits), fractions, exponent forms,
/// booleans, null, arrays and nested objects. Names are unique, and never one our mapper renames
/// (<see cref="ClaimComparison.MappedNames"/>) or a registered claim.
/// </summary>
internal static class RandomClaimSets
{
    private static readonly string[] Registered = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

    private static readonly string[] StringPool =
    [
        "", "plain", "with space", "quote\"inside", "back\\slash", "slash/ok", "tab\tnew\nline", "ctrl\u0001\u001f",
        "é café", "日本語", "emoji 😀 🧪", "rtl עברית", "\u2028\u2029", "<script>&amp;</script>", "nul\u0000byte",
        "a+b=c", "https://example.test/path?q=1#f", "long-" + new string('x', 200),
    ];

    private static readonly string[] NumberPool =
    [
        "0", "-0", "1", "-1", "42", "2147483647", "2147483648", "-2147483649", "9007199254740993",
        "9223372036854775807", "-9223372036854775808", "18446744073709551615", "1.5", "-0.25", "3.141592653589793",
        "0.1", "1e3", "2.5E-3", "1E+2", "-7e-1", "6.02214076e23", "1.0", "100.000",
    ];

    /// <summary>A claims set valid at <see cref="TwoValidators.Now"/> for <see cref="TestJwt.Issuer"/> and <see cref="TestJwt.Audience"/>.</summary>
    internal static string Valid(Random random, bool integerTimesOnly)
    {
        var now = TwoValidators.Now.ToUnixTimeSeconds();
        var members = new List<(string Name, string Json)>
        {
            ("iss", Quote(TestJwt.Issuer)),
            ("sub", Quote(Pick(random, StringPool) is { Length: > 0 } s ? s : "user-1")),
            ("aud", random.Next(3) switch
            {
                0 => Quote(TestJwt.Audience),
                1 => "[" + Quote(TestJwt.Audience) + "]",
                _ => "[" + Quote("api://other") + "," + Quote(TestJwt.Audience) + "," + Quote("ü-aud") + "]",
            }),
            ("exp", NumericDate(random, now + random.Next(60, 86_400), integerTimesOnly)),
        };
        if (random.Next(2) == 0)
        {
            members.Add(("nbf", NumericDate(random, now - random.Next(0, 3_600), integerTimesOnly)));
        }

        if (random.Next(2) == 0)
        {
            members.Add(("iat", NumericDate(random, now - random.Next(0, 3_600), integerTimesOnly)));
        }

        if (random.Next(2) == 0)
        {
            members.Add(("jti", Quote(Guid.NewGuid().ToString())));
        }

        var names = new HashSet<string>(Registered, StringComparer.Ordinal);
        var count = random.Next(0, 12);
        for (var i = 0; i < count; i++)
        {
            var name = Name(random);
            if (names.Add(name))
            {
                members.Add((name, Value(random, depth: 0)));
            }
        }

        Shuffle(random, members);
        return "{" + string.Join(",", members.Select(m => Quote(m.Name) + ":" + m.Json)) + "}";
    }

    /// <summary>A NumericDate for <paramref name="seconds"/>: an integer, or (unless told otherwise) a fraction or exponent form of about the same instant.</summary>
    internal static string NumericDate(Random random, long seconds, bool integerOnly)
    {
        if (integerOnly)
        {
            return seconds.ToString(CultureInfo.InvariantCulture);
        }

        return random.Next(4) switch
        {
            0 => seconds.ToString(CultureInfo.InvariantCulture),
            1 => seconds.ToString(CultureInfo.InvariantCulture) + "." + random.Next(1, 1000).ToString("000", CultureInfo.InvariantCulture),
            2 => (seconds / 1e9).ToString("0.#########", CultureInfo.InvariantCulture) + "e9",
            _ => seconds.ToString(CultureInfo.InvariantCulture) + ".0",
        };
    }

    internal static string Name(Random random) => random.Next(6) switch
    {
        0 => "c" + random.Next(1000).ToString(CultureInfo.InvariantCulture),
        1 => "ünï-" + random.Next(100).ToString(CultureInfo.InvariantCulture),
        2 => "名前" + random.Next(100).ToString(CultureInfo.InvariantCulture),
        3 => "https://claims.example/" + random.Next(100).ToString(CultureInfo.InvariantCulture),
        4 => "q\"uote" + random.Next(100).ToString(CultureInfo.InvariantCulture),
        _ => "name" is var n && random.Next(4) == 0 ? n : "given_name" + random.Next(10).ToString(CultureInfo.InvariantCulture),
    };

    internal static string Value(Random random, int depth) => random.Next(depth >= 3 ? 4 : 7) switch
    {
        0 => Quote(Pick(random, StringPool)),
        1 => Pick(random, NumberPool),
        2 => random.Next(2) == 0 ? "true" : "false",
        3 => random.Next(3) == 0 ? "null" : Quote(Pick(random, StringPool)),
        4 => Array(random, depth),
        5 => Object(random, depth),
        _ => "[" + Quote(Pick(random, StringPool)) + "," + Quote(Pick(random, StringPool)) + "]",
    };

    private static string Array(Random random, int depth)
    {
        var count = random.Next(0, 5);
        var items = new List<string>();
        for (var i = 0; i < count; i++)
        {
            items.Add(Value(random, depth + 1));
        }

        return "[" + string.Join(",", items) + "]";
    }

    private static string Object(Random random, int depth)
    {
        var count = random.Next(0, 4);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var members = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = Name(random);
            if (names.Add(name))
            {
                members.Add(Quote(name) + ":" + Value(random, depth + 1));
            }
        }

        return "{" + string.Join(",", members) + "}";
    }

    /// <summary>A JSON string, sometimes with every non-ASCII character escaped (both spellings must read the same).</summary>
    internal static string Quote(string value)
    {
        var json = JsonSerializer.Serialize(value);
        return value.Length % 3 == 0 ? EscapeNonAscii(json) : JsonSerializer.Serialize(value, RelaxedOptions);
    }

    private static readonly JsonSerializerOptions RelaxedOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string EscapeNonAscii(string json)
    {
        var text = new StringBuilder();
        foreach (var c in json)
        {
            text.Append(c < 0x80 ? c.ToString() : "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    internal static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static void Shuffle<T>(Random random, List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
