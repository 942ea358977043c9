using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;

namespace Bearer.Auth.Tests.Properties;

/// <summary>Generators of JSON trees, and their serialization with every member name spelled with random escapes.</summary>
internal static class JsonTrees
{
    /// <summary>
    /// Never drawn in a generated string and written plainly by both encoders, so a name written as <c>~n~</c> marks
    /// where a spelled name goes.
    /// </summary>
    private const char Marker = '~';

    /// <summary>Printable ASCII (with the characters JSON and HTML escape) but not the marker.</summary>
    private static readonly Gen<string> Ascii = Gen.Char[" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}"].Select(c => c.ToString());

    /// <summary>Strings: ASCII mostly, controls, BMP letters and separators, astral code points as surrogate pairs; always valid UTF-16.</summary>
    internal static readonly Gen<string> Text = Gen.Frequency(
        (20, Ascii),
        (2, Gen.Char['\u0000', '\u001f'].Select(c => c.ToString())),
        (1, Gen.Char["\u007f\u0080\u00a0\u00ad\u2028\u2029\ufeff\ufffd\uffff"].Select(c => c.ToString())),
        (3, Gen.Char['\u00c0', '\u07ff'].Select(c => c.ToString())),
        (3, Gen.Char['\u0800', '\ud7ff'].Select(c => c.ToString())),
        (1, Gen.Char['\ue000', '\ufffd'].Select(c => c.ToString())),
        (2, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)))
        .Array[0, 10].Select(string.Concat);

    /// <summary>Numbers of every JSON form: integers of any size and sign, fractions, exponents (also beyond a double's range).</summary>
    internal static readonly Gen<string> Number = Gen.OneOf(
        Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Int[-1000, 1000].Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Const("-0"),
        Gen.Select(Gen.Bool, Digits(1, 400), (negative, digits) => (negative ? "-" : string.Empty) + "1" + digits),
        Gen.Select(Gen.Bool, Gen.Long[0, long.MaxValue], Digits(1, 20), (negative, whole, fraction) =>
            (negative ? "-" : string.Empty) + whole.ToString(CultureInfo.InvariantCulture) + "." + fraction),
        Gen.Select(Gen.Int[1, 9], Digits(0, 6), Gen.Char["eE"], Gen.Char["+-x"], Gen.Int[0, 450], (lead, fraction, e, sign, exponent) =>
            lead.ToString(CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : string.Empty) + e
            + (sign == 'x' ? string.Empty : sign.ToString()) + exponent.ToString(CultureInfo.InvariantCulture)));

    internal static readonly Gen<JsonTree> Scalar = Gen.Frequency(
        (4, Text.Select(s => (JsonTree)new JsonString(s))),
        (3, Number.Select(n => (JsonTree)new JsonNumber(n))),
        (1, Gen.Char["tfn"].Select(c => (JsonTree)new JsonLiteral(c switch { 't' => "true", 'f' => "false", _ => "null" }))));

    /// <summary>A value nesting at most <paramref name="depth"/> containers.</summary>
    internal static Gen<JsonTree> Value(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency(
            (6, Scalar),
            (1, Value(depth - 1).Array[0, 4].Select(items => (JsonTree)new JsonArray(items))),
            (1, Members(Text, Value(depth - 1), 0, 4).Select(members => (JsonTree)new JsonObject(members))));

    /// <summary>Members with distinct names (repeats drawn are dropped, so the object is valid).</summary>
    internal static Gen<List<(string Name, JsonTree Value)>> Members(Gen<string> names, Gen<JsonTree> values, int min, int max) =>
        Gen.Select(names, values).Array[min, max].Select(drawn =>
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var members = new List<(string, JsonTree)>();
            foreach (var (name, value) in drawn)
            {
                if (seen.Add(name))
                {
                    members.Add((name, value));
                }
            }

            return members;
        });

    /// <summary>Every object in <paramref name="tree"/>, outermost first.</summary>
    internal static List<JsonObject> Objects(JsonTree tree)
    {
        var found = new List<JsonObject>();
        Walk(tree);
        return found;

        void Walk(JsonTree node)
        {
            switch (node)
            {
                case JsonObject o:
                    found.Add(o);
                    foreach (var (_, value) in o.Members)
                    {
                        Walk(value);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a.Items)
                    {
                        Walk(item);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="tree"/> with <see cref="Utf8JsonWriter"/> (the default or the relaxed encoder, indented or
    /// not) and then spells every member name with random escapes (<see cref="Spell"/>): the text a token carries.
    /// </summary>
    internal static byte[] Serialize(JsonTree tree, int style, Random? random, Func<string, string>? spellName = null)
    {
        var names = new List<string>();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Encoder = style % 2 == 0 ? JavaScriptEncoder.Default : JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Indented = style % 4 >= 2,
        }))
        {
            Write(writer, tree, names);
        }

        // The writer wrote each name as ~index~; put the spelled names in their place.
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var spelled = new StringBuilder(text.Length + 64);
        var at = 0;
        for (var start = text.IndexOf(Marker); start >= 0; start = text.IndexOf(Marker, at))
        {
            var end = text.IndexOf(Marker, start + 1);
            spelled.Append(text, at, start - at);
            var name = names[int.Parse(text.AsSpan(start + 1, end - start - 1), CultureInfo.InvariantCulture)];
            spelled.Append(spellName is null ? Spell(name, random!) : spellName(name));
            at = end + 1;
        }

        spelled.Append(text, at, text.Length - at);
        return Encoding.UTF8.GetBytes(spelled.ToString());
    }

    /// <summary>The tree as compact JSON with names written plainly, for a failure message.</summary>
    internal static string Show(JsonTree tree) =>
        Encoding.UTF8.GetString(Serialize(tree, 1, null, name => JsonEncodedText.Encode(name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString()));

    /// <summary>
    /// The JSON string content (no quotes) for <paramref name="value"/>, each character written plainly or escaped at
    /// random (<c>\uXXXX</c> in either case, the short escapes, <c>\/</c>, surrogate pairs as two escapes): all
    /// spellings of one string, which a reader must treat as the same name.
    /// </summary>
    internal static string Spell(string value, Random random)
    {
        var spelled = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var escape = random.Next(3) == 0;
            if (char.IsHighSurrogate(c))
            {
                // A pair is written whole, plainly or as two escapes (a lone half is another test's subject).
                var low = value[++i];
                spelled.Append(escape ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + "\\u" + ((int)low).ToString("x4", CultureInfo.InvariantCulture) : string.Concat(c, low));
                continue;
            }

            if (c is '"' or '\\' or < ' ' || escape)
            {
                var shortForm = c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '/' => "\\/",
                    '\b' => "\\b",
                    '\f' => "\\f",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => null,
                };
                spelled.Append(shortForm is not null && random.Next(2) == 0
                    ? shortForm
                    : "\\u" + ((int)c).ToString(random.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture));
            }
            else
            {
                spelled.Append(c);
            }
        }

        return spelled.ToString();
    }

    private static void Write(Utf8JsonWriter writer, JsonTree tree, List<string> names)
    {
        switch (tree)
        {
            case JsonString s:
                writer.WriteStringValue(s.Value);
                break;
            case JsonNumber n:
                writer.WriteRawValue(n.Text);
                break;
            case JsonLiteral l:
                writer.WriteRawValue(l.Text);
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var item in a.Items)
                {
                    Write(writer, item, names);
                }

                writer.WriteEndArray();
                break;
            case JsonObject o:
                writer.WriteStartObject();
                foreach (var (name, value) in o.Members)
                {
                    writer.WritePropertyName(Marker + names.Count.ToString(CultureInfo.InvariantCulture) + Marker);
                    names.Add(name);
                    Write(writer, value, names);
                }

                writer.WriteEndObject();
                break;
        }
    }

    private static Gen<string> Digits(int min, int max) => Gen.Char['0', '9'].Array[min, max].Select(d => new string(d));
}
