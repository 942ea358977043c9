using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Bearer.Auth;

/// <summary>
/// The Debug record of a rejected token: the <c>alg</c> and <c>kid</c> of its header and the <c>iss</c> and
/// <c>aud</c> of its payload, beside what the scheme expects. The token is read again here, only when Debug is on and
/// only once it was rejected, so validation pays nothing for it. What the token says is untrusted: each value is cut
/// to printable ASCII and <see cref="MaxValueLength"/> characters, an <c>aud</c> array to
/// <see cref="MaxListEntries"/> entries; the signature and every other claim are never read.
/// </summary>
internal static class RejectedTokenDetails
{
    internal const int MaxValueLength = 64;
    internal const int MaxListEntries = 4;

    /// <summary>How many configured values (algorithms, issuers, audiences, key ids) are shown per setting.</summary>
    internal const int MaxExpectedEntries = 12;

    private const string None = "(none)";
    private const string Unreadable = "(unreadable)";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    /// <summary>Logs the details; the caller has checked that Debug is enabled.</summary>
    internal static void Log(ILogger logger, string token, TokenFailureReason reason, BearerJwtOptions options)
    {
        var (algorithm, keyId, issuer, audience) = Read(token, options.MaxTokenSize);
        options.ExpectedTokenValues ??= DescribeExpected(options);

        // Called only with Debug enabled, and ToCode is a switch over constant strings: nothing to defer.
#pragma warning disable CA1873
        Bearer.Auth.Log.TokenRejectionDetails(logger, reason.ToCode(), algorithm, keyId, issuer, audience, options.ExpectedTokenValues);
#pragma warning restore CA1873
    }

    /// <summary>The token's alg, kid, iss and aud as they go into the log.</summary>
    internal static (string Algorithm, string KeyId, string Issuer, string Audience) Read(string token, int maxTokenSize)
    {
        if (token.Length > maxTokenSize)
        {
            const string TooLarge = "(not read: over MaxTokenSize)";
            return (TooLarge, TooLarge, TooLarge, TooLarge);
        }

        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        using var header = Parse(firstDot < 0 ? token.AsSpan() : token.AsSpan(0, firstDot));
        using var payload = firstDot < 0 ? null : Parse(secondDot < 0 ? token.AsSpan(firstDot + 1) : token.AsSpan(firstDot + 1, secondDot - firstDot - 1));
        return (Member(header, "alg"), Member(header, "kid"), Member(payload, "iss"), Member(payload, "aud"));
    }

    /// <summary>What the scheme accepts, from its settings: the same for every rejected token, so built once.</summary>
    internal static string DescribeExpected(BearerJwtOptions options)
    {
        var settings = options.ValidationSettings;
        var text = new StringBuilder();
        text.Append("alg one of ").Append(List(settings?.ValidAlgorithms ?? [.. options.ValidAlgorithms]));

        var keyIds = new List<string>();
        var keyIssuers = new List<string>();
        foreach (var key in options.ConfiguredKeys)
        {
            AddDistinct(keyIds, key.KeyId);
            AddDistinct(keyIssuers, key.Issuer);
        }

        var remoteSources = new List<string>();
        foreach (var (_, entry, _) in options.RemoteKeyEntries())
        {
            AddDistinct(remoteSources, entry.Issuer ?? entry.Authority ?? entry.MetadataAddress ?? entry.JwksUri);
        }

        var otherSources = remoteSources.Count > 0 || options.KeyResolver is not null;
        text.Append("; kid ").Append(keyIds.Count == 0 ? "none (no configured key has one)" : "one of " + List(keyIds));
        if (otherSources)
        {
            text.Append(", or one of a remote or custom key source");
        }

        if (settings?.ValidateIssuer == false)
        {
            text.Append("; iss any (ValidateIssuer is off)");
        }
        else
        {
            text.Append("; iss one of ").Append(List(settings?.ValidIssuers ?? []));
            if (keyIssuers.Count > 0)
            {
                text.Append(", or the issuer of a configured key ").Append(List(keyIssuers));
            }

            if (remoteSources.Count > 0)
            {
                text.Append(", or the issuer of a remote key source ").Append(List(remoteSources));
            }
        }

        text.Append(settings?.ValidateAudience == false ? "; aud any (ValidateAudience is off)" : "; aud one of " + List(settings?.ValidAudiences ?? []));
        return text.ToString();
    }

    private static JsonDocument? Parse(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty || !Base64Url.IsValid(segment, out var length))
        {
            return null;
        }

        var bytes = new byte[length];
        if (!Base64Url.TryDecodeFromChars(segment, bytes, out var written))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(bytes.AsMemory(0, written), DocumentOptions);
        }
        catch (JsonException)
        {
            // Diagnostics of a token already rejected: a payload that is not JSON is described, not an error.
            return null;
        }
    }

    private static string Member(JsonDocument? document, string name)
    {
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Unreadable;
        }

        if (!document.RootElement.TryGetProperty(name, out var value))
        {
            return None;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Describe(value);
        }

        var entries = new List<string>();
        var count = 0;
        foreach (var entry in value.EnumerateArray())
        {
            if (count++ < MaxListEntries)
            {
                entries.Add(Describe(entry));
            }
        }

        return "[" + string.Join(", ", entries) + (count > MaxListEntries ? $", (+{count - MaxListEntries} more)" : string.Empty) + "]";
    }

    private static string Describe(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return "(" + value.ValueKind.ToString().ToLowerInvariant() + ")";
        }

        try
        {
            return "'" + Printable(value.GetString()!) + "'";
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-8 (the token was refused for it, or before anyone read it): a Debug line
            // must never turn a 401 into a 500.
            return "(unreadable)";
        }
    }

    private static string List(IReadOnlyList<string> values)
    {
        var shown = new List<string>();
        for (var i = 0; i < values.Count && i < MaxExpectedEntries; i++)
        {
            shown.Add("'" + Printable(values[i]) + "'");
        }

        return "[" + string.Join(", ", shown) + (values.Count > MaxExpectedEntries ? $", (+{values.Count - MaxExpectedEntries} more)" : string.Empty) + "]";
    }

    private static void AddDistinct(List<string> values, string? value)
    {
        if (value is not null && !values.Contains(value, StringComparer.Ordinal))
        {
            values.Add(value);
        }
    }

    /// <summary>Printable ASCII only (anything else becomes '?'), at most <see cref="MaxValueLength"/> characters.</summary>
    internal static string Printable(string value) => LogText.Printable(value, MaxValueLength);
}
