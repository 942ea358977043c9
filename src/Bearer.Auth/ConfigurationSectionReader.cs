using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Bearer.Auth;

/// <summary>Typed reads of one section that record unreadable values instead of throwing.</summary>
internal readonly struct ConfigurationSectionReader(IConfiguration section, string path, List<string> errors)
{
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

        errors.Add($"{path}:{key} must be true or false, not '{text}'.");
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

        errors.Add($"{path}:{key} must be an integer, not '{text}'.");
        return null;
    }

    internal TimeSpan? TimeSpan(string key)
    {
        var text = section[key];
        if (text is null)
        {
            return null;
        }

        if (System.TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{path}:{key} must be a time span such as 00:00:30, not '{text}'.");
        return null;
    }
}
