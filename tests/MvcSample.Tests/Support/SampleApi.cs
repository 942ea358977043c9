using System.Buffers.Text;
using System.Net;
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

    /// <summary>Logs in and returns the whole token response, failing the test when the sample refuses.</summary>
    internal static async Task<TokenPair> LoginAsync(HttpClient client, string userName, string password)
    {
        using var response = await RequestTokenAsync(client, userName, password);
        response.EnsureSuccessStatusCode();
        return await ReadTokenPairAsync(response);
    }

    /// <summary>Reads the access and refresh tokens of a 200 token response.</summary>
    internal static async Task<TokenPair> ReadTokenPairAsync(HttpResponseMessage response)
    {
        using var body = await ReadJsonAsync(response);
        return new TokenPair(body.RootElement.GetProperty("access_token").GetString()!, body.RootElement.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>Presents <paramref name="refreshToken"/> at <c>POST /api/auth/refresh</c> as <c>{"refresh_token": …}</c>.</summary>
    internal static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        client.PostAsJsonAsync("/api/auth/refresh", new { refresh_token = refreshToken }, Cancellation);

    /// <summary>Asserts a 400 <c>{"error":"invalid_grant","error_description":…}</c> (RFC 6749 §5.2).</summary>
    internal static async Task AssertInvalidGrantAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = await ReadJsonAsync(response);
        Assert.Equal("invalid_grant", body.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("error_description").GetString()));
    }

    /// <summary>Asserts a 401 whose challenge says the token was revoked.</summary>
    internal static void AssertRevoked(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertBearerChallenge(response, "invalid_token");
        Assert.Contains("reason=\"token_revoked\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
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

    /// <summary>The <c>roles</c> of a <c>GET /api/me</c> answer.</summary>
    internal static string[] Roles(JsonElement me) => Strings(me.GetProperty("roles"));

    /// <summary>The <c>role</c> array of an issued token's payload.</summary>
    internal static string[] TokenRoles(JsonElement payload) => Strings(payload.GetProperty("role"));

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(r => r.GetString()!)];
}

/// <summary>What a login or a refresh hands out.</summary>
internal sealed record TokenPair(string AccessToken, string RefreshToken);
