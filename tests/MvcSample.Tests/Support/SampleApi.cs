using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MvcSample.Tests.Support;

/// <summary>Calls the sample's endpoints the way a client would.</summary>
internal static class SampleApi
{
    internal const string Issuer = "https://localhost/mvcsample";
    internal const string Audience = "mvcsample-api";

    internal static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    internal static Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, string userName, string password) =>
        client.PostAsJsonAsync("/api/auth/token", new { username = userName, password }, Cancellation);

    /// <summary>Logs in and returns the access token, failing the test when the sample refuses.</summary>
    internal static async Task<string> GetTokenAsync(HttpClient client, string userName, string password)
    {
        using var response = await RequestTokenAsync(client, userName, password);
        response.EnsureSuccessStatusCode();
        using var body = await ReadJsonAsync(response);
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    internal static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? token = null) =>
        SendAsync(client, HttpMethod.Get, path, token);

    /// <summary>A POST with no body, with <paramref name="token"/> as its Bearer credentials when given.</summary>
    internal static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string? token = null) =>
        SendAsync(client, HttpMethod.Post, path, token);

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client.SendAsync(request, Cancellation);
    }

    /// <summary>Asserts the response carries exactly one <c>Bearer</c> challenge, with <paramref name="error"/> when given.</summary>
    internal static void AssertBearerChallenge(HttpResponseMessage response, string? error = null)
    {
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        if (error is not null)
        {
            Assert.Contains($"error=\"{error}\"", challenge.Parameter, StringComparison.Ordinal);
        }
    }

    internal static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));

    /// <summary>Decodes one segment (0 header, 1 payload) of a compact JWS without verifying anything.</summary>
    internal static JsonDocument DecodeSegment(string token, int index) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[index]));

    internal static string[] Roles(JsonElement me) =>
        [.. me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)];
}
