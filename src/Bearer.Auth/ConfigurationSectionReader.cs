using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Bearer.Auth;

/// <summary>
/// Typed reads of one section that record unreadable values instead of throwing: the message names the full
/// configuration key and the text read, and (when <paramref name="unreadable"/> is given) the key is remembered, so
/// that start-up validation does not add a second message about the default that stayed in its place.
/// </summary>
internal readonly struct ConfigurationSectionReader(IConfiguration section, string path, List<string> errors, ISet<string>? unreadable = null)
{
    /// <summary>Whether <paramref name="key"/> holds a value or a list.</summary>
    internal bool Has(string key) => section[key] is not null || section.GetSection(key).GetChildren().Any();

    internal void AddStrings(string key, IList<string> target, bool replace)
    {
        var children = section.GetSection(key).GetChildren().ToList();
        var single = section[key];
        if (children.Count == 0 && single is null)
        {
            return;
        }

        if (replace)
        {
            target.Clear();
        }

        if (children.Count == 0 && single is not null)
        {
            target.Add(single);
            return;
        }

        foreach (var child in children)
        {
            if (child.Value is { Length: > 0 } value && !target.Contains(value))
            {
                target.Add(value);
            }
        }
    }

    internal bool? Bool(string key)
    {
        var text = section[key];
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Unreadable(key, $"must be true or false, not '{text}'.");
        return null;
    }

    internal int? Int(string key)
    {
        var text = section[key];
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Unreadable(key, $"must be an integer, not '{text}'.");
        return null;
    }

    internal TimeSpan? TimeSpan(string key)
    {
        var text = section[key];
        if (text is null)
        {
            return null;
        }

        if (IsBareInteger(text) && System.TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var days) && days != System.TimeSpan.Zero)
        {
            // TimeSpan reads "300" as 300 days: almost always meant as seconds, and never what a reader of the file sees.
            Unreadable(key, $"is '{text}', which reads as {text.Trim()} days (a bare number is a number of days). Write it as hh:mm:ss: " +
                $"{SecondsForm(text)} for {text.Trim()} seconds, or {days.ToString("c", CultureInfo.InvariantCulture)} if you mean days.");
            return null;
        }

        if (TryParseTimeSpan(text, out var value))
        {
            return value;
        }

        Unreadable(key, $"must be a time span such as 00:00:30, not '{text}'.");
        return null;
    }

    /// <summary>
    /// What <see cref="TimeSpan(string)"/> would read from <paramref name="text"/>, without recording anything: for
    /// comparing a value read elsewhere (where any problem is already reported).
    /// </summary>
    internal static bool TryParseTimeSpan(string? text, out TimeSpan value)
    {
        value = default;
        return text is not null
            && (!IsBareInteger(text) || text.Trim().TrimStart('-', '+').Trim('0').Length == 0)
            && System.TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsBareInteger(string text)
    {
        var span = text.AsSpan().Trim();
        if (span.Length > 0 && span[0] is '-' or '+')
        {
            span = span[1..];
        }

        if (span.IsEmpty)
        {
            return false;
        }

        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string SecondsForm(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && Math.Abs(seconds) <= (long)System.TimeSpan.MaxValue.TotalSeconds
            ? System.TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture)
            : "hh:mm:ss";

    private void Unreadable(string key, string message)
    {
        errors.Add($"{path}:{key} {message}");
        unreadable?.Add($"{path}:{key}");
    }
}
