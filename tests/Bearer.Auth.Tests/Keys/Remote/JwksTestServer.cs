using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>How the test server answers.</summary>
public enum ServerMode
{
    Normal,
    Unavailable,
    Closed,
    Slow,
    Garbage,
    Huge,
    NoUsableKeys,
}

/// <summary>
/// A real OpenID Provider metadata and JWKS server on Kestrel, bound to 127.0.0.1 port 0, controlled by the test:
/// publish and rotate keys, change the issuer, go down, answer slowly, answer garbage or 10 MB, count requests.
/// </summary>
internal sealed class JwksTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private List<string> _published = [];
    private TaskCompletionSource _slowGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _requestArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _metadataRequests;
    private int _jwksRequests;
    private int _otherRequests;
    private int _redirectRequests;

    private JwksTestServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Issuer = baseUrl;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234</c>; also the default issuer.</summary>
    internal string BaseUrl { get; }

    internal string JwksUrl => BaseUrl + "/jwks";

    /// <summary>The <c>jwks_uri</c> the metadata names; defaults to <see cref="JwksUrl"/>.</summary>
    internal string? JwksUriInMetadata { get; set; }

    /// <summary>The issuer the metadata names.</summary>
    internal string Issuer { get; set; }

    internal volatile ServerMode Mode;

    /// <summary>Raw JWK objects (JSON text) published after the keys, e.g. unusable ones.</summary>
    internal List<string> ExtraJwks { get; } = [];

    /// <summary>A <c>Cache-Control</c> value for the JWKS response, or null.</summary>
    internal string? CacheControl { get; set; }

    internal int MetadataRequests => Volatile.Read(ref _metadataRequests);

    internal int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>Requests to any path other than metadata and JWKS (e.g. a <c>jku</c> target).</summary>
    internal int OtherRequests => Volatile.Read(ref _otherRequests);

    /// <summary>Paths answered with <c>302 Found</c> to the given <c>Location</c> (absolute or relative).</summary>
    internal ConcurrentDictionary<string, string> Redirects { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests answered from <see cref="Redirects"/>.</summary>
    internal int RedirectRequests => Volatile.Read(ref _redirectRequests);

    /// <summary>Completes when a request arrives after <see cref="ExpectRequest"/>.</summary>
    internal Task RequestArrived => _requestArrived.Task;

    internal static async Task<JwksTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        JwksTestServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new JwksTestServer(app, address.TrimEnd('/'));
        return server;
    }

    /// <summary>Replaces the published keys with <paramref name="keys"/>.</summary>
    internal void Publish(params TestKey[] keys) => Publish([.. keys.Select(k => k.Jwk)]);

    /// <summary>Replaces the published keys with <paramref name="keys"/>, each without its kid.</summary>
    internal void PublishKidless(params TestKey[] keys) => Publish([.. keys.Select(k => k.KidlessJwk)]);

    /// <summary>
    /// Replaces the published keys with <paramref name="keys"/>, each written as
    /// <see cref="Bearer.Auth.Jwks.Write(IEnumerable{VerificationKey})"/> writes it.
    /// </summary>
    internal void Publish(IEnumerable<VerificationKey> keys)
    {
        using var set = JsonDocument.Parse(Bearer.Auth.Jwks.Write(keys));
        Publish([.. set.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetRawText())]);
    }

    private void Publish(List<string> jwks)
    {
        lock (_gate)
        {
            _published = jwks;
        }
    }

    internal void ExpectRequest() => _requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets held (slow) responses complete.</summary>
    internal void ReleaseSlowResponses()
    {
        var gate = _slowGate;
        _slowGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.TrySetResult();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is not null && Redirects.TryGetValue(path, out var location))
        {
            Interlocked.Increment(ref _redirectRequests);
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = location;
            return;
        }

        // Metadata under any path (Keycloak realms, B2C tenants), with any query (B2C's ?p=policy).
        if (path is not null && path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _metadataRequests);
        }
        else if (path == "/jwks")
        {
            Interlocked.Increment(ref _jwksRequests);
        }
        else
        {
            Interlocked.Increment(ref _otherRequests);
            context.Response.StatusCode = 404;
            return;
        }

        // The body is what was published when the request arrived, even if it is held (slow) past a rotation.
        var jwks = Jwks();
        _requestArrived.TrySetResult();
        switch (Mode)
        {
            case ServerMode.Unavailable:
                context.Response.StatusCode = 503;
                return;
            case ServerMode.Closed:
                context.Abort();
                return;
            case ServerMode.Slow:
                await _slowGate.Task.WaitAsync(context.RequestAborted);
                break;
            case ServerMode.Garbage:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("<html>{\"keys\":[oops", context.RequestAborted);
                return;
            case ServerMode.Huge:
                await WriteHugeAsync(context);
                return;
        }

        context.Response.ContentType = "application/json";
        if (path == "/jwks")
        {
            if (CacheControl is not null)
            {
                context.Response.Headers.CacheControl = CacheControl;
            }

            await context.Response.WriteAsync(jwks, context.RequestAborted);
        }
        else
        {
            await context.Response.WriteAsync($$"""{"issuer":"{{Issuer}}","jwks_uri":"{{JwksUriInMetadata ?? JwksUrl}}","id_token_signing_alg_values_supported":["ES256","RS256"]}""", context.RequestAborted);
        }
    }

    private string Jwks()
    {
        if (Mode == ServerMode.NoUsableKeys)
        {
            return """{"keys":[{"kty":"RSA","kid":"weak","n":"AQAB","e":"AQAB"},{"kty":"EC","kid":"enc","use":"enc","crv":"P-256","x":"AA","y":"AA"}]}""";
        }

        lock (_gate)
        {
            return "{\"keys\":[" + string.Join(",", _published.Concat(ExtraJwks)) + "]}";
        }
    }

    /// <summary>10 MB of a JSON-looking body, streamed without Content-Length so only a reading cap can stop it.</summary>
    private static async Task WriteHugeAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
        try
        {
            await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes("{\"keys\":["), context.RequestAborted);
            for (var written = 0; written < 10 * 1024 * 1024; written += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client stopped reading at its cap: that is the point.
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseSlowResponses();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>An ES256 key pair with a kid: its public JWK and a token minter.</summary>
internal sealed class TestKey : IDisposable
{
    private readonly ECDsa _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    internal TestKey(string kid)
    {
        Kid = kid;
        var p = _ecdsa.ExportParameters(includePrivateParameters: false);
        Jwk = $$"""{"kty":"EC","use":"sig","alg":"ES256","kid":"{{kid}}","crv":"P-256","x":"{{TestJwt.B64(p.Q.X!)}}","y":"{{TestJwt.B64(p.Q.Y!)}}"}""";
    }

    internal string Kid { get; }

    internal string Jwk { get; }

    /// <summary>A valid token for <paramref name="issuer"/> at <paramref name="now"/>, signed by this key under <paramref name="kid"/> (default: its own).</summary>
    internal string Token(string issuer, DateTimeOffset now, string? kid = null, string? extraHeader = null) =>
        TestJwt.Es(_ecdsa, TestJwt.Payload(now, issuer: issuer), "ES256",
            $$"""{"alg":"ES256","typ":"JWT","kid":"{{kid ?? Kid}}"{{(extraHeader is null ? "" : "," + extraHeader)}}}""");

    /// <summary>The public JWK without its kid.</summary>
    internal string KidlessJwk => Jwk.Replace($",\"kid\":\"{Kid}\"", string.Empty, StringComparison.Ordinal);

    /// <summary>A valid token for <paramref name="issuer"/> at <paramref name="now"/>, signed by this key, with no kid.</summary>
    internal string KidlessToken(string issuer, DateTimeOffset now) =>
        TestJwt.Es(_ecdsa, TestJwt.Payload(now, issuer: issuer), "ES256", """{"alg":"ES256","typ":"JWT"}""");

    public void Dispose() => _ecdsa.Dispose();
}
