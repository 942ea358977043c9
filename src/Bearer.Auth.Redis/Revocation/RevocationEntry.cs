using System.Globalization;

namespace Bearer.Auth.Redis;

/// <summary>One revocation as Redis holds it (<c>version|kind|since|until|key</c>, see <see cref="RevocationScripts"/>).</summary>
internal readonly record struct RevocationEntry(long Version, RevocationKind Kind, long Since, long Until, string Key)
{
    /// <summary>The letter that names <paramref name="kind"/> in an entry.</summary>
    internal static string Letter(RevocationKind kind) => kind switch
    {
        RevocationKind.Token => "t",
        RevocationKind.Session => "s",
        _ => "u",
    };

    /// <summary>The entry as Redis holds it, as the write script spells it.</summary>
    internal string ToText() => string.Create(CultureInfo.InvariantCulture, $"{Version}|{Letter(Kind)}|{Since}|{Until}|{Key}");

    /// <summary>Reads an entry; <see langword="false"/> for text that is not one (never written by this store).</summary>
    internal static bool TryParse(ReadOnlySpan<char> text, out RevocationEntry entry)
    {
        entry = default;
        if (!TryTake(ref text, out var version) || !TryTake(ref text, out var kindText)
            || !TryTake(ref text, out var since) || !TryTake(ref text, out var until) || text.IsEmpty)
        {
            return false;
        }

        RevocationKind kind;
        switch (kindText)
        {
            case "t":
                kind = RevocationKind.Token;
                break;
            case "s":
                kind = RevocationKind.Session;
                break;
            case "u":
                kind = RevocationKind.Subject;
                break;
            default:
                return false;
        }

        if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            || !long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            || !long.TryParse(until, NumberStyles.None, CultureInfo.InvariantCulture, out var u))
        {
            return false;
        }

        entry = new RevocationEntry(v, kind, s, u, text.ToString());
        return true;
    }

    /// <summary>Reads a published message, <c>epoch|entry</c>.</summary>
    internal static bool TryParseMessage(ReadOnlySpan<char> text, out string epoch, out RevocationEntry entry)
    {
        epoch = "";
        entry = default;
        if (!TryTake(ref text, out var epochText) || epochText.IsEmpty || !TryParse(text, out entry))
        {
            return false;
        }

        epoch = epochText.ToString();
        return true;
    }

    /// <summary>Takes the text up to the next <c>|</c> and moves past it.</summary>
    private static bool TryTake(ref ReadOnlySpan<char> text, out ReadOnlySpan<char> field)
    {
        var bar = text.IndexOf('|');
        if (bar < 0)
        {
            field = default;
            return false;
        }

        field = text[..bar];
        text = text[(bar + 1)..];
        return true;
    }
}
