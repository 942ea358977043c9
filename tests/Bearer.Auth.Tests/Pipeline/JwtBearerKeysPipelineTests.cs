using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>
/// JwtBearer keys whose effect shows only in a request: <c>SaveToken</c> (the token from
/// <c>HttpContext.GetTokenAsync("access_token")</c>) and the <c>Forward*</c> keys of every authentication scheme.
/// </summary>
public sealed class JwtBearerKeysPipelineTests
{
    private const string Prefix = "Authentication:Schemes:Bearer:";

    [Fact]
    public async Task SaveToken_makes_GetTokenAsync_return_the_validated_token()
    {
        var token = PipelineHost.Token();
        await using var host = await StartAsync(new() { [Prefix + "SaveToken"] = "true" });

        var response = await host.GetAsync("/access-token", token);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(token, response.Body);
    }

    [Fact]
    public async Task SaveToken_stores_the_token_after_OnTokenValidated_as_JwtBearer_does()
    {
        var token = PipelineHost.Token();
        var seenByEvent = "(event did not run)";
        await using var host = await StartAsync(new() { [Prefix + "SaveToken"] = "true" }, o => o.Events.OnTokenValidated = context =>
        {
            seenByEvent = context.Properties.GetTokenValue("access_token") ?? "(none)";
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/access-token", token);

        Assert.Equal(token, response.Body);
        Assert.Equal("(none)", seenByEvent);
    }

    [Fact]
    public async Task SaveToken_stores_nothing_when_OnTokenValidated_ends_authentication_itself_as_JwtBearer_does()
    {
        await using var host = await StartAsync(new() { [Prefix + "SaveToken"] = "true" }, o => o.Events.OnTokenValidated = context =>
        {
            context.Success();
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/access-token", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("(none)", response.Body);
    }

    [Fact]
    public async Task Without_SaveToken_no_token_is_kept()
    {
        await using var host = await StartAsync([]);

        var response = await host.GetAsync("/access-token", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("(none)", response.Body);
    }

    [Fact]
    public async Task Without_forwarding_the_other_scheme_is_not_asked()
    {
        await using var host = await StartAsync([]);

        var response = await host.GetAsync("/whoami");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.StartsWith("Bearer", response.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ForwardAuthenticate")]
    [InlineData("ForwardDefault")]
    public async Task Forwarded_authentication_authenticates_with_the_other_scheme(string key)
    {
        await using var host = await StartAsync(new() { [Prefix + key] = OtherHandler.Name });

        var response = await host.GetAsync("/whoami");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("from-other", response.Json.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("ForwardChallenge")]
    [InlineData("ForwardDefault")]
    public async Task Forwarded_challenge_is_answered_by_the_other_scheme(string key)
    {
        await using var host = await StartAsync(new() { [Prefix + key] = OtherHandler.Name, [Prefix + "ForwardAuthenticate"] = "Bearer" });

        var response = await host.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(OtherHandler.Name, response.WwwAuthenticate);
    }

    [Theory]
    [InlineData("ForwardForbid")]
    [InlineData("ForwardDefault")]
    public async Task Forwarded_forbid_is_answered_by_the_other_scheme(string key)
    {
        await using var host = await StartAsync(new() { [Prefix + key] = OtherHandler.Name, [Prefix + "ForwardAuthenticate"] = "Bearer" });

        var response = await host.GetAsync("/admin", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains(response.Headers, h => h.Key == "X-Forbidden-By" && h.Value == OtherHandler.Name);
    }

    private static Task<PipelineHost> StartAsync(Dictionary<string, string?> configuration, Action<BearerJwtOptions>? code = null) =>
        PipelineHost.StartAsync(new PipelineSetup
        {
            Configuration = configuration,
            Options = o =>
            {
                PipelineHost.UseDefaults(o);
                code?.Invoke(o);
            },
            Services = s =>
            {
                s.AddAuthentication().AddScheme<AuthenticationSchemeOptions, OtherHandler>(OtherHandler.Name, null);
                s.AddSingleton<IStartupFilter, AccessTokenEndpoint>();
            },
        });

    /// <summary><c>/access-token</c>: what <c>HttpContext.GetTokenAsync("access_token")</c> returns for the request's token.</summary>
    private sealed class AccessTokenEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/access-token", branch => branch.Run(async context =>
            {
                if (!(await context.AuthenticateAsync()).Succeeded)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                await context.Response.WriteAsync(await context.GetTokenAsync("access_token") ?? "(none)");
            }));
            next(app);
        };
    }

    /// <summary>A scheme that authenticates everyone as <c>from-other</c> and marks its challenge and forbid responses.</summary>
    private sealed class OtherHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        internal const string Name = "Other";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var identity = new ClaimsIdentity([new Claim("name", "from-other")], Name, "name", "role");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = Name;
            return Task.CompletedTask;
        }

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            Response.Headers["X-Forbidden-By"] = Name;
            return Task.CompletedTask;
        }
    }
}
