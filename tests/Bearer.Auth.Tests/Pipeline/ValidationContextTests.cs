using System.Net;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>
/// The <see cref="TokenValidationContext"/> the handler builds for each request and validates the token with, as
/// <see cref="TokenValidatedContext.Validation"/> shows it: where the token came from, the method, the URL without
/// its query (with the path base), and the <c>DPoP</c> header.
/// </summary>
public sealed class ValidationContextTests
{
    private static readonly string Valid = PipelineHost.Token();

    [Fact]
    public async Task A_token_in_the_Authorization_header_has_source_AuthorizationHeader()
    {
        var (host, seen) = await StartAsync();
        await using var _ = host;

        await host.GetAsync("/protected", Valid);

        Assert.Equal(TokenSource.AuthorizationHeader, Assert.Single(seen).Source);
    }

    [Fact]
    public async Task A_token_in_the_opted_in_cookie_has_source_Cookie()
    {
        var (host, seen) = await StartAsync(o => o.TokenCookieName = "access");
        await using var _ = host;

        await host.GetAsync("/protected", edit: r => r.Headers.Add("Cookie", "access=" + Valid));

        Assert.Equal(TokenSource.Cookie, Assert.Single(seen).Source);
    }

    [Fact]
    public async Task A_token_in_the_query_on_an_opted_in_path_has_source_QueryString_and_the_url_drops_the_query()
    {
        var (host, seen) = await StartAsync(o => o.QueryTokenPaths.Add("/hub"));
        await using var _ = host;

        var response = await host.GetAsync("/hub/connect?access_token=" + Valid + "&id=7");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var context = Assert.Single(seen);
        Assert.Equal(TokenSource.QueryString, context.Source);
        Assert.Equal("http://localhost/hub/connect", context.Url);
    }

    [Fact]
    public async Task A_token_supplied_by_OnMessageReceived_has_source_MessageReceivedEvent()
    {
        var (host, seen) = await StartAsync(o => o.Events.OnMessageReceived = context =>
        {
            context.Token = context.Request.Headers["X-Token"];
            return Task.CompletedTask;
        });
        await using var _ = host;

        await host.GetAsync("/protected", edit: r => r.Headers.Add("X-Token", Valid));

        Assert.Equal(TokenSource.MessageReceivedEvent, Assert.Single(seen).Source);
    }

    [Fact]
    public async Task When_OnMessageReceived_supplies_no_token_the_source_is_where_the_handler_found_it()
    {
        var (host, seen) = await StartAsync(o => o.Events.OnMessageReceived = _ => Task.CompletedTask);
        await using var _ = host;

        await host.GetAsync("/protected", Valid);

        Assert.Equal(TokenSource.AuthorizationHeader, Assert.Single(seen).Source);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task Method_is_the_request_method(string method)
    {
        var (host, seen) = await StartAsync();
        await using var _ = host;

        // The router has GET endpoints only; authentication runs before it answers 405.
        using var request = new HttpRequestMessage(new HttpMethod(method), "/protected");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Valid);
        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(method, Assert.Single(seen).Method);
    }

    [Fact]
    public async Task Url_is_scheme_host_port_and_escaped_path_without_query_or_fragment()
    {
        var (host, seen) = await StartAsync();
        await using var _ = host;

        await host.GetAsync("https://api.example:8443/caf%C3%A9/a%20b?x=1&y=%2F#frag", Valid);

        Assert.Equal("https://api.example:8443/caf%C3%A9/a%20b", Assert.Single(seen).Url);
    }

    [Fact]
    public async Task Url_includes_the_path_base()
    {
        var (host, seen) = await StartAsync();
        await using var _ = host;
        var server = (TestServer)host.Services.GetRequiredService<IServer>();
        server.BaseAddress = new Uri("http://localhost/app/");
        using var client = server.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, "protected?q=1");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Valid);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("http://localhost/app/protected", Assert.Single(seen).Url);
    }

    [Fact]
    public async Task DPoPProof_is_null_without_a_DPoP_header()
    {
        var (host, seen) = await StartAsync();
        await using var _ = host;

        await host.GetAsync("/protected", Valid);

        Assert.Null(Assert.Single(seen).DPoPProof);
    }

    [Fact]
    public async Task DPoPProof_is_the_DPoP_header()
    {
        var (host, seen) = await StartAsync();
        await using var _ = host;

        await host.GetAsync("/protected", Valid, r => r.Headers.TryAddWithoutValidation("DPoP", "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln"));

        Assert.Equal("eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln", Assert.Single(seen).DPoPProof);
    }

    [Fact]
    public async Task Several_DPoP_headers_arrive_joined_by_commas()
    {
        var (host, seen) = await StartAsync();
        await using var _ = host;

        await host.GetAsync("/protected", Valid, r => r.Headers.TryAddWithoutValidation("DPoP", ["first.proof.a", "second.proof.b"]));

        Assert.Equal("first.proof.a,second.proof.b", Assert.Single(seen).DPoPProof);
    }

    /// <summary>
    /// Starts a host with the default issuer, audience and key and then <paramref name="configure"/>, whose
    /// <c>OnTokenValidated</c> records each request's <see cref="TokenValidatedContext.Validation"/>, read during the
    /// request (the handler's context reads the request lazily, so it is read while the request is in progress).
    /// </summary>
    private static async Task<(PipelineHost Host, System.Collections.Concurrent.ConcurrentQueue<TokenValidationContext> Seen)> StartAsync(
        Action<BearerJwtOptions>? configure = null)
    {
        var seen = new System.Collections.Concurrent.ConcurrentQueue<TokenValidationContext>();
        var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.Events.OnTokenValidated = context =>
            {
                var validation = context.Validation;
                seen.Enqueue(new TokenValidationContext
                {
                    Source = validation.Source,
                    Method = validation.Method,
                    Url = validation.Url,
                    DPoPProof = validation.DPoPProof,
                });
                return Task.CompletedTask;
            };
            configure?.Invoke(o);
        });
        return (host, seen);
    }
}
