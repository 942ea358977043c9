using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MvcSample.Tests.Support;

/// <summary>
/// What a browser does with the sample's cookies, over a <see cref="WebApplicationFactory{TEntryPoint}"/> client: it
/// keeps each cookie with its path and sends it only to that path, drops it when told to, follows no redirect by
/// itself, and sends <c>Sec-Fetch-Site: same-origin</c> on its own forms as Chromium does.
/// </summary>
internal sealed partial class BrowserSession : IDisposable
{
    internal const string AccessCookie = "__Host-access_token";
    internal const string RefreshCookie = "__Secure-refresh_token";

    private readonly Dictionary<string, (string Value, string Path)> _cookies = new(StringComparer.Ordinal);

    internal BrowserSession(WebApplicationFactory<Program> factory)
    {
        Client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
    }

    internal HttpClient Client { get; }

    /// <summary>The value of a cookie the session holds, or <see langword="null"/>.</summary>
    internal string? Cookie(string name) => _cookies.TryGetValue(name, out var cookie) ? cookie.Value : null;

    /// <summary>Puts a cookie in the jar by hand (a replayed or forged value).</summary>
    internal void SetCookie(string name, string value, string path = "/") => _cookies[name] = (value, path);

    /// <summary>Sends a request with the cookies its path gets, and keeps the cookies the answer sets.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        var sent = _cookies.Where(c => PathMatches(path, c.Value.Path)).Select(c => c.Key + "=" + c.Value.Value).ToList();
        if (sent.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", sent));
        }

        var response = await Client.SendAsync(request, SampleApi.Cancellation);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                Keep(setCookie);
            }
        }

        return response;
    }

    internal Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? edit = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        edit?.Invoke(request);
        return SendAsync(request);
    }

    /// <summary>Follows redirects (at most 10) from a GET of <paramref name="path"/>, as a page load does.</summary>
    internal async Task<(HttpResponseMessage Response, List<string> Visited)> NavigateAsync(string path)
    {
        var visited = new List<string> { path };
        var response = await GetAsync(path);
        while (response.StatusCode is HttpStatusCode.Found or HttpStatusCode.SeeOther && visited.Count < 10)
        {
            var next = response.Headers.Location!.OriginalString;
            visited.Add(next);
            response.Dispose();
            response = await GetAsync(next);
        }

        return (response, visited);
    }

    /// <summary>Posts a form as the browser would from a page of the sample (Sec-Fetch-Site: same-origin unless edited).</summary>
    internal Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, Action<HttpRequestMessage>? edit = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        edit?.Invoke(request);
        return SendAsync(request);
    }

    /// <summary>The antiforgery token of the first form on the page at <paramref name="path"/>.</summary>
    internal async Task<string> FormTokenAsync(string path)
    {
        using var page = await GetAsync(path);
        var html = await page.Content.ReadAsStringAsync(SampleApi.Cancellation);
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {path} ({(int)page.StatusCode}):\n{html}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Signs in through the login form; returns the answer to the POST (302 on success).</summary>
    internal async Task<HttpResponseMessage> LoginAsync(string userName, string password, string? returnUrl = null)
    {
        var token = await FormTokenAsync("/login");
        var fields = new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        };
        if (returnUrl is not null)
        {
            fields["ReturnUrl"] = returnUrl;
        }

        return await PostFormAsync("/login", fields);
    }

    /// <summary>Signs out with the form on the profile page.</summary>
    internal async Task<HttpResponseMessage> LogoutAsync()
    {
        var token = await FormTokenAsync("/profile");
        return await PostFormAsync("/logout", [new("__RequestVerificationToken", token)]);
    }

    public void Dispose() => Client.Dispose();

    private static bool PathMatches(string requestPath, string cookiePath) =>
        cookiePath == "/" || requestPath == cookiePath || requestPath.StartsWith(cookiePath + "/", StringComparison.Ordinal);

    private void Keep(string setCookie)
    {
        var parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        var equals = parts[0].IndexOf('=', StringComparison.Ordinal);
        var name = parts[0][..equals];
        var value = parts[0][(equals + 1)..];
        var path = "/";
        var expired = value.Length == 0;
        foreach (var attribute in parts.Skip(1))
        {
            if (attribute.StartsWith("path=", StringComparison.OrdinalIgnoreCase))
            {
                path = attribute[5..];
            }
            else if (attribute.StartsWith("max-age=", StringComparison.OrdinalIgnoreCase) && attribute[8..] is "0" or ['-', ..])
            {
                expired = true;
            }
            else if (attribute.StartsWith("expires=", StringComparison.OrdinalIgnoreCase)
                && DateTimeOffset.TryParse(attribute[8..], System.Globalization.CultureInfo.InvariantCulture, out var expires) && expires < DateTimeOffset.UtcNow)
            {
                expired = true;
            }
        }

        if (expired)
        {
            _cookies.Remove(name);
        }
        else
        {
            _cookies[name] = (value, path);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
